using System;
using System.Collections.Generic;
using System.Threading;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>What a fuzz run saw, counted from several threads; <see cref="ToString"/> is the line the test prints.</summary>
internal sealed class StbFuzzStats
{
    private readonly long[] _outcomes = new long[Enum.GetValues<StbOutcome>().Length];
    private readonly List<string> _failures = new();
    private long _hosts;
    private long _longestCallTicks;

    public long Inputs => Outcome(StbOutcome.Decoded) + Outcome(StbOutcome.DecodeFailed) + Outcome(StbOutcome.ResizeFailed)
                          + Outcome(StbOutcome.Trap) + Outcome(StbOutcome.Timeout) + Outcome(StbOutcome.OutOfMemory);

    /// <summary>Gets how many hosts served requests: the first of each slot, then one per faulted host the pool replaced.</summary>
    public long Hosts => Interlocked.Read(ref _hosts);

    public TimeSpan LongestCall => TimeSpan.FromTicks(Interlocked.Read(ref _longestCallTicks));

    public TimeSpan Elapsed { get; set; }

    public long WorkingSetBefore { get; set; }

    public long WorkingSetAfter { get; set; }

    /// <summary>Gets every broken promise, one line each with the seed and index that make the input again.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return _failures.ToArray();
            }
        }
    }

    public long Outcome(StbOutcome outcome) => Interlocked.Read(ref _outcomes[(int)outcome]);

    public void Count(StbOutcome outcome, TimeSpan longestCall)
    {
        Interlocked.Increment(ref _outcomes[(int)outcome]);
        long ticks = longestCall.Ticks;
        for (long seen = Interlocked.Read(ref _longestCallTicks); ticks > seen; seen = Interlocked.Read(ref _longestCallTicks))
        {
            Interlocked.CompareExchange(ref _longestCallTicks, ticks, seen);
        }
    }

    public void CountHost() => Interlocked.Increment(ref _hosts);

    public void Fail(string failure)
    {
        lock (_failures)
        {
            // The first few say what broke; thousands more would only bury them.
            if (_failures.Count < 20)
            {
                _failures.Add(failure);
            }
        }
    }

    public override string ToString() =>
        $"{Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9):N0} inputs/s): "
        + $"{Outcome(StbOutcome.Decoded):N0} decoded and resized, {Outcome(StbOutcome.DecodeFailed):N0} refused by stb (returned 0), "
        + $"{Outcome(StbOutcome.ResizeFailed):N0} resizes refused, {Outcome(StbOutcome.Trap):N0} traps, {Outcome(StbOutcome.Timeout):N0} timeouts, "
        + $"{Outcome(StbOutcome.OutOfMemory):N0} out-of-memory; {Outcome(StbOutcome.Trap) + Outcome(StbOutcome.Timeout):N0} hosts faulted and replaced ({Hosts:N0} in all), "
        + $"longest call {LongestCall.TotalMilliseconds:F1} ms; working set {WorkingSetBefore / (1 << 20):N0} MiB before, {WorkingSetAfter / (1 << 20):N0} MiB after";
}
