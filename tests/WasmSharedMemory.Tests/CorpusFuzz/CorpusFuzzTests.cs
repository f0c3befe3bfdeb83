using System;
using System.Collections.Generic;
using System.Linq;
using WasmSharedMemory.Tests.Fuzzing;
using WasmSharedMemory.Tests.StbFuzz;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>
/// Published npm modules nobody here built, fed mutated frames, blocks, streams, text and hash inputs through a
/// <see cref="WasmHostPool"/> of two hosts each under <c>CallTimeout</c> and <c>MaxMemoryBytes</c>: every request must
/// end as a checked result or a documented exception, with nothing leaked and no faulted host reused.
/// <c>WSM_CORPUS_FUZZ_INPUTS</c> sets how many in all (default 20,000, shared evenly by the modules),
/// <c>WSM_CORPUS_FUZZ_SEED</c> repeats a run, <c>WSM_CORPUS_FUZZ_START</c> starts it at another index,
/// <c>WSM_CORPUS_FUZZ_MODULE</c> runs one module only (its manifest id).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class CorpusFuzzTests : LeakCheckedTests
{
    private const int Hosts = 2;

    // As the stb fuzz's: both pools' memories are gone by the end, what remains is the managed heap and caches.
    private const long WorkingSetTolerance = 96L << 20;

    private readonly ITestOutputHelper _output;

    public CorpusFuzzTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Modules() => new(CorpusTargets.All.Select(t => t.Module));

    [Theory]
    [MemberData(nameof(Modules))]
    public void Seeds_EveryOneServedWithItsKnownResult(string module)
    {
        CorpusFuzzTarget target = CorpusTargets.All.Single(t => t.Module == module);
        using WasmModule loaded = target.Load();
        using WasmHostPool pool = target.Pool(loaded, 1, WasmHostReuse.WhenClean);
        using WasmHostLease lease = pool.Rent();
        foreach (CorpusSeed seed in target.Seeds)
        {
            CorpusOutcome outcome = target.Serve(lease.Host, seed.Bytes, seed.Name, out _);

            // A decoder's plain seeds are not frames: it says so (or, for the empty one, decodes nothing), and stays usable.
            Assert.True(outcome == CorpusOutcome.Result || !target.ValidSeeds.Contains(seed) && outcome == CorpusOutcome.GuestError, $"{seed.Name}: {outcome}");
            Assert.False(lease.Host.IsFaulted);
            Assert.Equal(0, lease.Host.LiveBuffers);
        }
    }

    [Fact]
    public void HostileInputs_ThroughAPoolPerModule_EndAsDocumentedOutcomesWithNothingLeakedOrReused()
    {
        long inputs = StbFuzzSettings.Number("WSM_CORPUS_FUZZ_INPUTS", 20_000);
        long first = StbFuzzSettings.Number("WSM_CORPUS_FUZZ_START", 0);
        int seed = (int)StbFuzzSettings.Number("WSM_CORPUS_FUZZ_SEED", Random.Shared.Next(1, int.MaxValue));
        string? only = Environment.GetEnvironmentVariable("WSM_CORPUS_FUZZ_MODULE");
        CorpusFuzzTarget[] targets = CorpusTargets.All.Where(t => string.IsNullOrEmpty(only) || t.Module == only).ToArray();
        Assert.NotEmpty(targets);
        double shares = targets.Sum(t => t.InputShare);
        _output.WriteLine($"seed {seed} (WSM_CORPUS_FUZZ_SEED={seed} repeats this run), {inputs:N0} inputs from {first} shared by {targets.Length} modules");

        var failures = new List<string>();
        long served = 0, expected = 0;
        foreach (CorpusFuzzTarget target in targets)
        {
            long each = Math.Max(1, (long)(inputs * target.InputShare / shares));
            expected += each;
            _ = target.Seeds;
            using WasmModule module = target.Load();
            var pool = target.Pool(module, Hosts, WasmHostReuse.WhenClean);

            // The baseline once both hosts exist and the code has run: what the run adds to it is what could leak.
            FuzzRun<CorpusOutcome> warmUp = target.Run(pool);
            warmUp.Run(seed ^ 0x5A5A, 0, 50, Hosts);
            FuzzRun<CorpusOutcome> run = target.Run(pool);
            run.Stats.WorkingSetBefore = StbFuzzSettings.WorkingSet();
            run.Run(seed, first, each, Hosts);
            int leased = pool.LeasedHosts;
            pool.Dispose();
            run.Stats.WorkingSetAfter = StbFuzzSettings.WorkingSet();

            FuzzStats<CorpusOutcome> stats = run.Stats;
            _output.WriteLine($"{target.Module}: {stats}; working set {stats.WorkingSetBefore / (1 << 20):N0} MiB before, {stats.WorkingSetAfter / (1 << 20):N0} MiB after");
            failures.AddRange(warmUp.Stats.Failures.Concat(stats.Failures).Select(f => $"{target.Module}: {f}"));
            served += stats.Inputs;
            Assert.Equal(0, leased);

            // Each faulted host, and each whose memory grew, is replaced by exactly one new one; a clean host is kept, so no other host is made.
            long replaced = stats.Outcome(CorpusOutcome.Trap) + stats.Outcome(CorpusOutcome.Timeout) + stats.Grown;
            Assert.InRange(stats.Hosts, 1, Hosts + replaced);
            Assert.True(stats.WorkingSetAfter - stats.WorkingSetBefore < WorkingSetTolerance,
                $"{target.Module}: the working set grew from {stats.WorkingSetBefore:N0} to {stats.WorkingSetAfter:N0} bytes");
        }

        Assert.True(failures.Count == 0, $"seed {seed}:\n{string.Join("\n", failures)}");
        Assert.Equal(expected, served);
    }
}
