using System;
using System.Diagnostics;
using WasmSharedMemory.Tests.Fuzz;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Model-based fuzzing of the kernel module: random sequences of allocate, write, multiply, read, dispose,
/// double dispose, use after dispose and misuse, under memory limits that are hit, checked against a model
/// after every step (see <see cref="FuzzRun"/>). A failing sequence is shrunk to a minimal one, printed
/// with the seed that reproduces it (<c>CsCheck_Seed=…</c>).
/// </summary>
/// <remarks>
/// Each build runs with one instance and with two over a shared memory (every call that can split, split).
/// <c>WSM_FUZZ_STEPS</c> sets the steps per build and parallelism pair (default 20,000 over two builds: 10,000 each); the long run in
/// docs/reliability.md is <c>WSM_FUZZ_STEPS=1000000</c>. <c>WSM_FUZZ_SHRINK_SECONDS</c> (default 30) is how
/// long a failure is shrunk before it is reported.
/// </remarks>
public sealed class SharedMemoryModuleFuzzTests : LeakCheckedTests
{
    private readonly ITestOutputHelper _output;

    public SharedMemoryModuleFuzzTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(ModuleVariant.Simd, 1)]
    [InlineData(ModuleVariant.Scalar, 1)]
    [InlineData(ModuleVariant.Simd, 2)]
    [InlineData(ModuleVariant.Scalar, 2)]
    public void RandomSequences_AgreeWithTheModelAfterEveryStep(ModuleVariant variant, int parallelism)
    {
        long target = FuzzSampling.StepsPerTest;
        var stats = new FuzzStats();
        var watch = Stopwatch.StartNew();

        FuzzSampling.Run(
            FuzzCase.Generator,
            fuzzCase => FuzzRun.Run(variant, parallelism, fuzzCase, stats, Track),
            () => stats.StepsSoFar,
            target,
            FuzzCase.MaxSteps / 2,
            fuzzCase => fuzzCase.ToString());

        watch.Stop();
        _output.WriteLine($"{variant}, parallelism {parallelism}: {stats} {watch.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} threads.");
        Assert.True(stats.Steps >= target);
        Assert.True(TrackedModules >= stats.Sequences);
    }
}
