using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// The first <c>Load</c> in a process, which compiles the module: every launch is a new process and times one
/// call (cold start, no warm-up, no jitting pass), so each measurement is a true first load.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, launchCount: 10, warmupCount: 0, iterationCount: 1, id: "ColdStart")]
public class ColdLoadBenchmarks
{
    [Benchmark]
    public void Load_Cold_Simd() => SharedMemoryModule.Load(ModuleVariant.Simd).Dispose();
}
