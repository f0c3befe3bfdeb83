using System;
using System.IO;
using WasmSharedMemory.Tests.Fuzzing;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// A real C decoder, stb_image 2.27 compiled to stb.wasm, fed mutated PNG, JPEG, GIF and BMP files through a
/// <see cref="WasmHostPool"/>: every request must end as a result or a documented exception, with nothing leaked
/// and no faulted host reused. <c>WSM_STB_FUZZ_INPUTS</c> sets how many (default 20,000), <c>WSM_STB_FUZZ_SEED</c>
/// repeats a run, <c>WSM_STB_FUZZ_START</c> starts it at another index (to replay one input),
/// <c>WSM_STB_FUZZ_DUMP</c> names a folder to write the inputs to for native/run.sh.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class StbFuzzTests : LeakCheckedTests
{
    // The process's working set may grow by this much over the run: the pool's two memories of up to 64 MiB
    // are gone by then, so what remains is the managed heap and the runtime's own caches.
    private const long WorkingSetTolerance = 96L << 20;

    private readonly ITestOutputHelper _output;

    public StbFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Seeds_EveryOneDecodesAndResizes()
    {
        using WasmHost host = Track(WasmHost.FromFile(StbFuzzSettings.ModulePath));
        foreach (SeedImage seed in StbSeeds.All)
        {
            StbOutcome outcome = StbRequest.Serve(host, seed.Bytes, out _, out _);

            Assert.True(outcome == StbOutcome.Decoded, $"{seed.Name}: {outcome}");
        }

        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void HostileImages_ThroughAPool_EndAsDocumentedOutcomesWithNothingLeakedOrReused()
    {
        long inputs = StbFuzzSettings.Number("WSM_STB_FUZZ_INPUTS", 20_000);
        long first = StbFuzzSettings.Number("WSM_STB_FUZZ_START", 0);
        int seed = (int)StbFuzzSettings.Number("WSM_STB_FUZZ_SEED", Random.Shared.Next(1, int.MaxValue));
        string? dump = Environment.GetEnvironmentVariable("WSM_STB_FUZZ_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            Directory.CreateDirectory(dump);
        }

        _output.WriteLine($"seed {seed} (WSM_STB_FUZZ_SEED={seed} repeats this run), inputs {first} to {first + inputs - 1}");
        using WasmModule module = WasmModule.FromFile(StbFuzzSettings.ModulePath, new WasmModuleOptions { Interruptible = true, Name = "stb-fuzz" });
        const int hosts = 2;
        var pool = new WasmHostPool(module, hosts, StbFuzzSettings.HostOptions(), WasmHostReuse.WhenClean);
        var run = new StbFuzzRun(pool, StbFuzzSettings.CallTimeout, StbFuzzSettings.Allowance) { DumpDirectory = string.IsNullOrEmpty(dump) ? null : dump };

        // The baseline once both hosts exist and the code has run: what the run adds to it is what could leak.
        var warmUp = new StbFuzzRun(pool, StbFuzzSettings.CallTimeout, StbFuzzSettings.Allowance);
        warmUp.Run(seed ^ 0x5A5A, 0, 100, hosts);
        Assert.Empty(warmUp.Stats.Failures);
        run.Stats.WorkingSetBefore = StbFuzzSettings.WorkingSet();
        int notVouchedBefore = pool.HostsNotVouchedFor;
        run.Run(seed, first, inputs, hosts);
        int leased = pool.LeasedHosts;
        int notVouchedFor = pool.HostsNotVouchedFor - notVouchedBefore;
        pool.Dispose();
        run.Stats.WorkingSetAfter = StbFuzzSettings.WorkingSet();

        _output.WriteLine(run.Stats.ToString());
        Assert.True(run.Stats.Failures.Count == 0, $"seed {seed}:\n{string.Join("\n", run.Stats.Failures)}");
        Assert.Equal(inputs, run.Stats.Inputs);
        Assert.Equal(0, leased);
        // Each faulted host is replaced by exactly one new one, and so is each host returned with its memory grown
        // (which the pool cannot vouch for); any other clean host is kept, so no other host is made.
        _output.WriteLine($"{notVouchedFor} hosts returned with memory grown were replaced");
        Assert.InRange(run.Stats.Hosts, 1, hosts + run.Stats.Outcome(StbOutcome.Trap) + run.Stats.Outcome(StbOutcome.Timeout) + run.Stats.Grown);
        Assert.True(run.Stats.WorkingSetAfter - run.Stats.WorkingSetBefore < WorkingSetTolerance,
            $"the working set grew from {run.Stats.WorkingSetBefore:N0} to {run.Stats.WorkingSetAfter:N0} bytes");
    }
}
