using System;
using System.Text.RegularExpressions;
using CsCheck;

namespace WasmSharedMemory.Tests.Fuzz;

/// <summary>How long the fuzz tests run, and the sampling loop they share.</summary>
internal static partial class FuzzSampling
{
    private const long DefaultTotalSteps = 20_000;
    private const int DefaultShrinkSeconds = 30;

    /// <summary>Gets the steps each fuzz test runs: half of <c>WSM_FUZZ_STEPS</c> (default 20,000), one half per build.</summary>
    public static long StepsPerTest => Setting("WSM_FUZZ_STEPS", DefaultTotalSteps) / 2;

    /// <summary>Gets how long a failure is shrunk before it is reported: <c>WSM_FUZZ_SHRINK_SECONDS</c>, default 30.</summary>
    public static int ShrinkSeconds => (int)Setting("WSM_FUZZ_SHRINK_SECONDS", DefaultShrinkSeconds);

    /// <summary>
    /// Samples <paramref name="generator"/> until <paramref name="stepsSoFar"/> reaches <paramref name="target"/>.
    /// On a failure, keeps shrinking from its seed for <see cref="ShrinkSeconds"/> (the iterations left after
    /// the first failure are too few to shrink a long sequence), then throws CsCheck's report: the smallest
    /// failing case and the seed that reproduces it.
    /// </summary>
    public static void Run<T>(Gen<T> generator, Action<T> run, Func<long> stepsSoFar, long target, int averageSteps, Func<T, string> print)
    {
        while (stepsSoFar() < target)
        {
            long iterations = Math.Max(2, (target - stepsSoFar()) / averageSteps);
            try
            {
                generator.Sample(run, iter: iterations, print: print);
            }
            catch (CsCheckException ex) when (ShrinkSeconds > 0 && SeedPattern().Match(ex.Message) is { Success: true } seed)
            {
                generator.Sample(run, seed: seed.Groups[1].Value, time: ShrinkSeconds, print: print);
                throw;
            }
        }
    }

    private static long Setting(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), out long value) && value >= 0 ? value : fallback;

    [GeneratedRegex("Set seed: \"([^\"]+)\"")]
    private static partial Regex SeedPattern();
}
