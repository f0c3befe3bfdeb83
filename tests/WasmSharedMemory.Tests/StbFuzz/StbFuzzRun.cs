using System;
using WasmSharedMemory.Tests.Fuzzing;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>The stb fuzz: <see cref="StbMutator"/>'s images served by <see cref="StbRequest"/>, a trap or a timeout faulting the host.</summary>
internal sealed class StbFuzzRun : FuzzRun<StbOutcome>
{
    /// <param name="allowance">How far past <paramref name="callTimeout"/> a call may end.</param>
    public StbFuzzRun(WasmHostPool pool, TimeSpan callTimeout, TimeSpan allowance)
        : base(pool, callTimeout, allowance, new StbFuzzStats(), StbMutator.Make, Serve, outcome => outcome is StbOutcome.Trap or StbOutcome.Timeout)
    {
    }

    public new StbFuzzStats Stats => (StbFuzzStats)base.Stats;

    private static StbOutcome Serve(WasmHost host, byte[] input, string origin, out TimeSpan longestCall) =>
        StbRequest.Serve(host, input, out longestCall, out _);
}
