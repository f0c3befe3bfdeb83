using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// What a call costs when there is (almost) no work: 16 floats through the library and through Wasmtime's
/// typed delegate (the baseline), Wasmtime's delegate into <c>multiply_f32</c> with n = 0 (enters wasm and
/// returns), and the library's <c>Multiply</c> on empty buffers (its checks and lock, no wasm call).
/// </summary>
[MemoryDiagnoser]
public class CallOverheadBenchmarks
{
    private const int Length = 16;

    private ISharedMemoryModule? _module;
    private WasmBuffer<float>? _a;
    private WasmBuffer<float>? _b;
    private WasmBuffer<float>? _product;
    private WasmBuffer<float>? _empty;
    private RawWasmtime? _raw;
    private int _rawA;
    private int _rawB;
    private int _rawProduct;

    [GlobalSetup]
    public void SetUp()
    {
        _module = SharedMemoryModule.Load(ModuleVariant.Simd);
        _a = _module.Allocate<float>(Length);
        _b = _module.Allocate<float>(Length);
        _product = _module.Allocate<float>(Length);
        Inputs.Fill(_a.Span, _b.Span);
        _empty = _module.Allocate<float>(0);

        _raw = new RawWasmtime(ModuleVariant.Simd);
        _rawA = _raw.AllocateFloats(Length);
        _rawB = _raw.AllocateFloats(Length);
        _rawProduct = _raw.AllocateFloats(Length);
        Inputs.Fill(_raw.Memory.GetSpan<float>(_rawA, Length), _raw.Memory.GetSpan<float>(_rawB, Length));
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _a?.Dispose();
        _b?.Dispose();
        _product?.Dispose();
        _empty?.Dispose();
        _module?.Dispose();
        _raw?.Dispose();
    }

    /// <summary>16 floats through Wasmtime's typed delegate: what the library's call is held to.</summary>
    [Benchmark(Baseline = true)]
    public void RawWasmtime_16() => _raw!.MultiplyF32(Length, _rawProduct, _rawA, _rawB);

    /// <summary>16 floats through the library: checks, lock, call.</summary>
    [Benchmark]
    public void Library_16() => _module!.Multiply(_a!, _b!, _product!);

    /// <summary>A no-op call into wasm through the typed delegate: the floor for any call made that way.</summary>
    [Benchmark]
    public void RawWasmtime_EmptyCall() => _raw!.MultiplyF32(0, _rawProduct, _rawA, _rawB);

    /// <summary>The library's checks and lock alone: empty operands never reach wasm.</summary>
    [Benchmark]
    public void Library_EmptyMultiply() => _module!.Multiply(_empty!, _empty!, _empty!);
}
