using System;
using System.Collections.Generic;
using WasmSharedMemory.Internals;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Eight threads against a pool of two stb hosts and one shared kernel module for a fixed time: a mix of valid
/// and hostile images and kernel calls. <c>WSM_SOAK_SECONDS</c> sets the time (default 30; 600 for the long run).
/// </summary>
[Collection(DeadlineCollection.Name)]
public sealed class StbSoakTests : LeakCheckedTests
{
    private const int Threads = 8;
    private const int Hosts = 2;
    private const long WorkingSetTolerance = 96L << 20;

    private readonly ITestOutputHelper _output;

    public StbSoakTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void EightThreadsOnAPoolOfTwo_ServeEveryRequestWithNoLostOrWrongResult()
    {
        var duration = TimeSpan.FromSeconds(StbFuzzSettings.Number("WSM_SOAK_SECONDS", 30));
        int seed = (int)StbFuzzSettings.Number("WSM_STB_FUZZ_SEED", Random.Shared.Next(1, int.MaxValue));
        _output.WriteLine($"seed {seed}, {duration.TotalSeconds} s");
        Dictionary<SeedImage, ulong> reference = ReferenceThumbnails();
        using WasmModule module = WasmModule.FromFile(StbFuzzSettings.ModulePath, new WasmModuleOptions { Interruptible = true, Name = "stb-soak" });
        // Two instances over one memory: the kernel requests of 8 threads run side by side on them, beside each
        // other's allocations and frees.
        ISharedMemoryModule kernels = Load(ModuleVariant.Auto, new SharedMemoryOptions { Parallelism = 2 });
        var pool = new WasmHostPool(module, Hosts, StbFuzzSettings.HostOptions(), WasmHostReuse.WhenClean);
        long before = StbFuzzSettings.WorkingSet();

        var soak = new StbSoak(pool, kernels, reference, seed, Threads);
        soak.Run(duration);
        int leased = pool.LeasedHosts;
        pool.Dispose();
        int kernelBuffers = kernels.LiveBuffers;
        long beside = ((KernelModule)kernels).Crew!.BesideCalls;
        kernels.Dispose();
        long after = StbFuzzSettings.WorkingSet();

        StbFuzzStats hostile = soak.Hostile;
        _output.WriteLine(
            $"{soak.Served:N0} requests served in {duration.TotalSeconds:N0} s by {Threads} threads on {Hosts} hosts: {soak.Valid:N0} valid images, "
            + $"{hostile.Inputs:N0} hostile ({hostile.Outcome(StbOutcome.Trap):N0} traps, {hostile.Outcome(StbOutcome.Timeout):N0} timeouts, "
            + $"{hostile.Outcome(StbOutcome.OutOfMemory):N0} out-of-memory, {hostile.Outcome(StbOutcome.DecodeFailed):N0} refused), {soak.KernelCalls:N0} kernel calls ({beside:N0} beside another); "
            + $"{hostile.Outcome(StbOutcome.Trap) + hostile.Outcome(StbOutcome.Timeout):N0} hosts replaced; latency p50 {soak.Percentile(50):F2} ms, "
            + $"p99 {soak.Percentile(99):F2} ms, max {soak.Percentile(100):F1} ms; working set {before / (1 << 20):N0} MiB at the start, "
            + $"{after / (1 << 20):N0} MiB at the end; {soak.Wrong} wrong, {soak.Lost} lost");
        Assert.True(soak.Wrong == 0 && soak.Lost == 0 && hostile.Failures.Count == 0,
            $"seed {seed}: {soak.Wrong} wrong, {soak.Lost} lost:\n{string.Join("\n", soak.Problems)}\n{string.Join("\n", hostile.Failures)}");
        Assert.True(soak.Valid > 0 && hostile.Inputs > 0 && soak.KernelCalls > 0, "every kind of request ran");
        Assert.True(beside > 0, "no kernel call ran beside another thread's: the side-by-side path went untested");
        Assert.Equal(0, leased);
        Assert.Equal(0, kernelBuffers);
        Assert.True(after - before < WorkingSetTolerance, $"the working set grew from {before:N0} to {after:N0} bytes");
    }

    // What each valid image's thumbnail must hash to: stb is deterministic, so a host that served nothing else says.
    private Dictionary<SeedImage, ulong> ReferenceThumbnails()
    {
        using WasmHost host = Track(WasmHost.FromFile(StbFuzzSettings.ModulePath));
        var reference = new Dictionary<SeedImage, ulong>();
        foreach (SeedImage image in StbSeeds.All)
        {
            Assert.Equal(StbOutcome.Decoded, StbRequest.Serve(host, image.Bytes, out _, out ulong hash));
            reference[image] = hash;
        }

        return reference;
    }
}
