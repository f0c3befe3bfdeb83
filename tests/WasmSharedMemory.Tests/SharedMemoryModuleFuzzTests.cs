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
/// <c>WSM_FUZZ_STEPS</c> sets the total steps over both builds (default 20,000: 10,000 each); the long run in
/// docs/reliability.md is <c>WSM_FUZZ_STEPS=1000000</c>. <c>WSM_FUZZ_SHRINK_SECONDS</c> (default 30) is how
/// long a failure is shrunk before it is reported.
/// </remarks>
public sealed class SharedMemoryModuleFuzzTests : LeakCheckedTests
{
    private readonly ITestOutputHelper _output;

    public SharedMemoryModuleFuzzTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void RandomSequences_AgreeWithTheModelAfterEveryStep(ModuleVariant variant)
    {
        long target = FuzzSampling.StepsPerTest;
        var stats = new FuzzStats();
        var watch = Stopwatch.StartNew();

        FuzzSampling.Run(
            FuzzCase.Generator,
            fuzzCase => FuzzRun.Run(variant, fuzzCase, stats, Track),
            () => stats.StepsSoFar,
            target,
            FuzzCase.MaxSteps / 2,
            fuzzCase => fuzzCase.ToString());

        watch.Stop();
        _output.WriteLine($"{variant}: {stats} {watch.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} threads.");
        Assert.True(stats.Steps >= target);
        Assert.True(TrackedModules >= stats.Sequences);
    }
}
