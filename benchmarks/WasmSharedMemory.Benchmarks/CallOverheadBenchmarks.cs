using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// What a call costs when there is no work: Wasmtime's typed delegate into <c>multiply_f32</c> with n = 0
/// (enters wasm and returns), and the library's <c>Multiply</c> on empty buffers (checks, no wasm call).
/// </summary>
[MemoryDiagnoser]
public class CallOverheadBenchmarks
{
    private ISharedMemoryModule? _module;
    private WasmBuffer<float>? _empty;
    private RawWasmtime? _raw;
    private int _rawAddress;

    [GlobalSetup]
    public void SetUp()
    {
        _module = SharedMemoryModule.Load(ModuleVariant.Simd);
        _empty = _module.Allocate<float>(0);
        _raw = new RawWasmtime(ModuleVariant.Simd);
        _rawAddress = _raw.AllocateFloats(16);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _empty?.Dispose();
        _module?.Dispose();
        _raw?.Dispose();
    }

    /// <summary>A no-op call into wasm through Wasmtime's typed delegate: the floor for any wasm call made that way.</summary>
    [Benchmark(Baseline = true)]
    public void RawWasmtime_EmptyCall() => _raw!.MultiplyF32(0, _rawAddress, _rawAddress, _rawAddress);

    /// <summary>The library's checks and lock alone: empty operands never reach wasm.</summary>
    [Benchmark]
    public void Library_EmptyMultiply() => _module!.Multiply(_empty!, _empty!, _empty!);
}
