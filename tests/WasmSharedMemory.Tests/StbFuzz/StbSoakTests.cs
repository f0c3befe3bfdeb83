using System;
using System.Collections.Generic;
using System.Linq;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Tests.CorpusFuzz;
using WasmSharedMemory.Tests.Fuzzing;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Eight threads for a fixed time against two pools of two stb hosts side by side (<see cref="WasmHostReuse.WhenClean"/>
/// and <see cref="WasmHostReuse.Never"/>), a pool of two per published module (the two modes alternating) and one shared
/// kernel module: a mix of valid and hostile images, valid and hostile module inputs, and kernel calls.
/// <c>WSM_SOAK_SECONDS</c> sets the time (default 30; 600 for the long run).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class StbSoakTests : LeakCheckedTests
{
    private const int Threads = 8;
    private const int Hosts = 2;
    private const long WorkingSetTolerance = 96L << 20;

    private readonly ITestOutputHelper _output;

    public StbSoakTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void EightThreadsOnMixedPools_ServeEveryRequestWithNoLostOrWrongResult()
    {
        var duration = TimeSpan.FromSeconds(StbFuzzSettings.Number("WSM_SOAK_SECONDS", 30));
        int seed = (int)StbFuzzSettings.Number("WSM_STB_FUZZ_SEED", Random.Shared.Next(1, int.MaxValue));
        _output.WriteLine($"seed {seed}, {duration.TotalSeconds} s");
        Dictionary<SeedImage, ulong> reference = ReferenceThumbnails();
        using WasmModule module = WasmModule.FromFile(StbFuzzSettings.ModulePath, new WasmModuleOptions { Interruptible = true, Name = "stb-soak" });
        // Two instances over one memory: the kernel requests of 8 threads run side by side on them, beside each
        // other's allocations and frees.
        ISharedMemoryModule kernels = Load(ModuleVariant.Auto, new SharedMemoryOptions { Parallelism = 2 });
        WasmHostPool[] pools =
        {
            new(module, Hosts, StbFuzzSettings.HostOptions(), WasmHostReuse.WhenClean),
            new(module, Hosts, StbFuzzSettings.HostOptions(), WasmHostReuse.Never),
        };
        // Not tiktoken: WhenClean replaces its host after every request (its tables grow memory), so each of its requests
        // pays get_encoding, 30 ms to a second, and holds a thread the kernel calls need to meet side by side.
        CorpusFuzzTarget[] targets = CorpusTargets.All.Where(t => t.Module != "tiktoken").ToArray();
        WasmModule[] corpusModules = targets.Select(t =>
        {
            _ = t.Seeds;
            return t.Load();
        }).ToArray();
        (CorpusFuzzTarget Target, WasmHostPool Pool)[] corpus = targets
            .Select((t, i) => (t, t.Pool(corpusModules[i], Hosts, i % 2 == 0 ? WasmHostReuse.Never : WasmHostReuse.WhenClean)))
            .ToArray();
        long before = StbFuzzSettings.WorkingSet();

        var soak = new StbSoak(pools, corpus, kernels, reference, seed, Threads);
        soak.Run(duration);
        int leased = pools.Concat(corpus.Select(c => c.Pool)).Sum(p => p.LeasedHosts);
        foreach (WasmHostPool pool in pools.Concat(corpus.Select(c => c.Pool)))
        {
            pool.Dispose();
        }

        foreach (WasmModule corpusModule in corpusModules)
        {
            corpusModule.Dispose();
        }

        int kernelBuffers = kernels.LiveBuffers;
        long beside = ((KernelModule)kernels).Crew!.BesideCalls;
        kernels.Dispose();
        long after = StbFuzzSettings.WorkingSet();

        IReadOnlyList<StbFuzzStats> hostile = soak.Hostile;
        long Images(StbOutcome outcome) => hostile.Sum(h => h.Outcome(outcome));
        long hostileImages = hostile.Sum(h => h.Inputs);
        IReadOnlyList<(string Module, FuzzStats<CorpusOutcome> Stats)> hostileCorpus = soak.HostileCorpus;
        long hostileInputs = hostileCorpus.Sum(c => c.Stats.Inputs);
        long replaced = Images(StbOutcome.Trap) + Images(StbOutcome.Timeout)
                        + hostileCorpus.Sum(c => c.Stats.Outcome(CorpusOutcome.Trap) + c.Stats.Outcome(CorpusOutcome.Timeout));
        _output.WriteLine(
            $"{soak.Served:N0} requests served in {duration.TotalSeconds:N0} s by {Threads} threads on two stb pools of {Hosts} (WhenClean, Never) and {corpus.Length} module pools of {Hosts}: "
            + $"{soak.Valid:N0} valid images, {hostileImages:N0} hostile ({Images(StbOutcome.Trap):N0} traps, {Images(StbOutcome.Timeout):N0} timeouts, "
            + $"{Images(StbOutcome.OutOfMemory):N0} out-of-memory, {Images(StbOutcome.DecodeFailed):N0} refused), "
            + $"{soak.CorpusValid:N0} valid module inputs, {hostileInputs:N0} hostile ({string.Join(", ", hostileCorpus.Select(c => $"{c.Module} {c.Stats.Inputs:N0}"))}), "
            + $"{soak.KernelCalls:N0} kernel calls ({soak.Dots:N0} Dot, {beside:N0} beside another); {replaced:N0} faulted hosts replaced, {soak.RentTimeouts + hostile.Sum(h => h.RentTimeouts) + hostileCorpus.Sum(c => c.Stats.RentTimeouts):N0} rents timed out loading one; latency p50 {soak.Percentile(50):F2} ms, "
            + $"p99 {soak.Percentile(99):F2} ms, max {soak.Percentile(100):F1} ms; working set {before / (1 << 20):N0} MiB at the start, "
            + $"{after / (1 << 20):N0} MiB at the end; {soak.Wrong} wrong, {soak.Lost} lost");
        List<string> fuzzFailures = soak.FuzzFailures.ToList();
        Assert.True(soak.Wrong == 0 && soak.Lost == 0 && fuzzFailures.Count == 0,
            $"seed {seed}: {soak.Wrong} wrong, {soak.Lost} lost:\n{string.Join("\n", soak.Problems)}\n{string.Join("\n", fuzzFailures)}");
        Assert.True(soak.Valid > 0 && hostileImages > 0 && soak.CorpusValid > 0 && hostileInputs > 0 && soak.KernelCalls > 0 && soak.Dots > 0, "every kind of request ran");
        Assert.All(hostile, h => Assert.True(h.Inputs > 0, "a stb pool served no hostile image"));
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
