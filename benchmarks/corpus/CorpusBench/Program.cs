using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CorpusBench;

/// <summary>
/// Runs the corpus benchmarks chosen on the command line (<c>--filter *Rabin*</c>); each class times one module's
/// case from benchmarks/corpus/cases.json on raw Wasmtime (the baseline) and through the library.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // Short runs: the machine is shared with other work; the report compares ratios within a run.
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(7).WithLaunchCount(1))
            .AddColumn(StatisticColumn.Median);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
