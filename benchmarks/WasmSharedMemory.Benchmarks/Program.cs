using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

namespace WasmSharedMemory.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line; benchmarks/run.sh runs them all and builds the report.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // The median is what the report compares (other processes may share the machine); the JSON is what it reads.
        IConfig config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median)
            .AddExporter(JsonExporter.Brief);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
