using System;
using WasmSharedMemory.Tests.Fuzzing;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>What an stb fuzz run saw; <see cref="ToString"/> is the line the test prints.</summary>
internal sealed class StbFuzzStats : FuzzStats<StbOutcome>
{
    public override string ToString() =>
        $"{Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9):N0} inputs/s): "
        + $"{Outcome(StbOutcome.Decoded):N0} decoded and resized, {Outcome(StbOutcome.DecodeFailed):N0} refused by stb (returned 0), "
        + $"{Outcome(StbOutcome.ResizeFailed):N0} resizes refused, {Outcome(StbOutcome.Trap):N0} traps, {Outcome(StbOutcome.Timeout):N0} timeouts, "
        + $"{Outcome(StbOutcome.OutOfMemory):N0} out-of-memory; {Outcome(StbOutcome.Trap) + Outcome(StbOutcome.Timeout):N0} hosts faulted and replaced ({Hosts:N0} in all, {RentTimeouts:N0} rents timed out loading one), "
        + $"longest call {LongestCall.TotalMilliseconds:F1} ms; working set {WorkingSetBefore / (1 << 20):N0} MiB before, {WorkingSetAfter / (1 << 20):N0} MiB after";
}
