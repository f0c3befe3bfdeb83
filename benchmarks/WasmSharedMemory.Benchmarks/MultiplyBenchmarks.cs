using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// One element-wise float multiply of N elements, done the ways a .NET user could do it. Operands are
/// allocated and filled once; each row times only the multiply (and, for copy-in/copy-out, the copies).
/// The library's rows across two cores are here too, so their ratios to one core come from one job.
/// </summary>
[MemoryDiagnoser]
public class MultiplyBenchmarks
{
    private ISharedMemoryModule? _module;
    private WasmBuffer<float>? _a;
    private WasmBuffer<float>? _b;
    private WasmBuffer<float>? _product;

    private RawWasmtime? _raw;
    private int _rawA;
    private int _rawB;
    private int _rawProduct;

    private float[] _x = Array.Empty<float>();
    private float[] _y = Array.Empty<float>();
    private float[] _z = Array.Empty<float>();

    /// <summary>Elements per operand: call-overhead sized (16) through memory-bound (16M, 192 MiB in all).</summary>
    [Params(16, 1024, 65536, 1 << 20, 1 << 24)]
    public int N { get; set; }

    [GlobalSetup(Target = nameof(Library_Simd))]
    public void SetUpSimd() => SetUpLibrary(ModuleVariant.Simd);

    [GlobalSetup(Target = nameof(Library_Scalar))]
    public void SetUpScalar() => SetUpLibrary(ModuleVariant.Scalar);

    [GlobalSetup(Target = nameof(Library_Simd_Parallel2))]
    public void SetUpSimdParallel2() => SetUpLibrary(ModuleVariant.Simd, parallelism: 2);

    [GlobalSetup(Targets = new[] { nameof(RawWasmtime_Simd), nameof(CopyInOut_Simd) })]
    public void SetUpRaw()
    {
        _raw = new RawWasmtime(ModuleVariant.Simd);
        _rawA = _raw.AllocateFloats(N);
        _rawB = _raw.AllocateFloats(N);
        _rawProduct = _raw.AllocateFloats(N);
        Inputs.Fill(_raw.Memory.GetSpan<float>(_rawA, N), _raw.Memory.GetSpan<float>(_rawB, N));
        _raw.Memory.GetSpan<float>(_rawProduct, N).Clear();
        SetUpManaged();
    }

    [GlobalSetup(Targets = new[] { nameof(TensorPrimitives_Multiply), nameof(PlainLoop) })]
    public void SetUpManaged()
    {
        _x = new float[N];
        _y = new float[N];
        _z = new float[N];
        Inputs.Fill(_x, _y);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _a?.Dispose();
        _b?.Dispose();
        _product?.Dispose();
        _module?.Dispose();
        _raw?.Dispose();
    }

    /// <summary>The library: zero-copy buffers, one call into the SIMD build.</summary>
    [Benchmark(Baseline = true)]
    public void Library_Simd() => _module!.Multiply(_a!, _b!, _product!);

    /// <summary>The library on the scalar build (what engines without wasm SIMD run).</summary>
    [Benchmark]
    public void Library_Scalar() => _module!.Multiply(_a!, _b!, _product!);

    /// <summary>The library on two cores: one shared memory, two instances, the call split when it is large enough.</summary>
    [Benchmark]
    public void Library_Simd_Parallel2() => _module!.Multiply(_a!, _b!, _product!);

    /// <summary>The same .wasm through Wasmtime's typed delegate, no library in between.</summary>
    [Benchmark]
    public void RawWasmtime_Simd() => _raw!.MultiplyF32(N, _rawProduct, _rawA, _rawB);

    /// <summary>Without zero-copy: managed arrays copied into wasm memory, multiplied there, copied out.</summary>
    [Benchmark]
    public void CopyInOut_Simd()
    {
        RawWasmtime raw = _raw!;
        _x.AsSpan().CopyTo(raw.Memory.GetSpan<float>(_rawA, N));
        _y.AsSpan().CopyTo(raw.Memory.GetSpan<float>(_rawB, N));
        raw.MultiplyF32(N, _rawProduct, _rawA, _rawB);
        raw.Memory.GetSpan<float>(_rawProduct, N).CopyTo(_z);
    }

    /// <summary>No WebAssembly at all: .NET's vectorized primitive over managed arrays.</summary>
    [Benchmark]
    public void TensorPrimitives_Multiply() => TensorPrimitives.Multiply(_x, _y, _z);

    /// <summary>No WebAssembly at all: the loop a user would write.</summary>
    [Benchmark]
    public void PlainLoop()
    {
        float[] x = _x, y = _y, z = _z;
        for (int i = 0; i < z.Length && i < x.Length && i < y.Length; i++)
        {
            z[i] = x[i] * y[i];
        }
    }

    private void SetUpLibrary(ModuleVariant variant, int parallelism = 1)
    {
        _module = SharedMemoryModule.Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
        if (_module.Parallelism != parallelism)
        {
            throw new InvalidOperationException($"Asked for Parallelism = {parallelism}, the module has {_module.Parallelism}: the row would time something else.");
        }

        _a = _module.Allocate<float>(N);
        _b = _module.Allocate<float>(N);
        _product = _module.Allocate<float>(N);
        Inputs.Fill(_a.Span, _b.Span);
        _product.Span.Clear();
    }
}
