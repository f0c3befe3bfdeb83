using System;
using System.Diagnostics;
using System.Text.RegularExpressions;
using CsCheck;
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
public sealed partial class SharedMemoryModuleFuzzTests : LeakCheckedTests
{
    private const long DefaultTotalSteps = 20_000;
    private const int DefaultShrinkSeconds = 30;

    private readonly ITestOutputHelper _output;

    public SharedMemoryModuleFuzzTests(ITestOutputHelper output) => _output = output;

    private static long StepsPerBuild => Setting("WSM_FUZZ_STEPS", DefaultTotalSteps) / 2;

    private static int ShrinkSeconds => (int)Setting("WSM_FUZZ_SHRINK_SECONDS", DefaultShrinkSeconds);

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void RandomSequences_AgreeWithTheModelAfterEveryStep(ModuleVariant variant)
    {
        long target = StepsPerBuild;
        var stats = new FuzzStats();
        void Run(FuzzCase fuzzCase) => FuzzRun.Run(variant, fuzzCase, stats, Track);
        var watch = Stopwatch.StartNew();

        // Sequences average MaxSteps / 2 steps; sample again until the target is met.
        while (stats.StepsSoFar < target)
        {
            long iterations = Math.Max(2, (target - stats.StepsSoFar) / (FuzzCase.MaxSteps / 2));
            try
            {
                FuzzCase.Generator.Sample(Run, iter: iterations, print: Print);
            }
            catch (CsCheckException ex) when (ShrinkSeconds > 0 && SeedPattern().Match(ex.Message) is { Success: true } seed)
            {
                // The iterations left after the first failure are too few to shrink a long sequence: start
                // from the failing seed and keep shrinking for a while, then report the smallest failure.
                FuzzCase.Generator.Sample(Run, seed: seed.Groups[1].Value, time: ShrinkSeconds, print: Print);
                throw;
            }
        }

        watch.Stop();
        _output.WriteLine($"{variant}: {stats} {watch.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} threads.");
        Assert.True(stats.Steps >= target);
        Assert.True(TrackedModules >= stats.Sequences);
    }

    private static string Print(FuzzCase fuzzCase) => fuzzCase.ToString();

    private static long Setting(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), out long value) && value >= 0 ? value : fallback;

    [GeneratedRegex("Set seed: \"([^\"]+)\"")]
    private static partial Regex SeedPattern();
}
