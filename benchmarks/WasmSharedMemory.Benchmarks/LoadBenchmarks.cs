using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// <c>Load</c> + <c>Dispose</c> once the process has compiled the module: a new store, instance and 4 GiB
/// reservation each time.
/// </summary>
[MemoryDiagnoser]
public class LoadBenchmarks
{
    [GlobalSetup]
    public void SetUp()
    {
        // Compile both builds outside the measurement.
        SharedMemoryModule.Load(ModuleVariant.Simd).Dispose();
        SharedMemoryModule.Load(ModuleVariant.Scalar).Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Load_Warm_Simd() => SharedMemoryModule.Load(ModuleVariant.Simd).Dispose();

    [Benchmark]
    public void Load_Warm_Scalar() => SharedMemoryModule.Load(ModuleVariant.Scalar).Dispose();
}
