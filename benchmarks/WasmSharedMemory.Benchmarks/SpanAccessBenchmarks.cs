using System;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// Getting a view of a buffer and touching one element: a managed array, the library's
/// <see cref="WasmBuffer{T}.Span"/> (cached base pointer, no native call), and Wasmtime's
/// <c>Memory.GetSpan</c> (asks the engine for the base pointer on every call).
/// </summary>
[MemoryDiagnoser]
public class SpanAccessBenchmarks
{
    private const int Length = 1024;

    private readonly float[] _array = new float[Length];
    private ISharedMemoryModule? _module;
    private WasmBuffer<float>? _buffer;
    private RawWasmtime? _raw;
    private int _rawAddress;

    [GlobalSetup]
    public void SetUp()
    {
        _module = SharedMemoryModule.Load(ModuleVariant.Simd);
        _buffer = _module.Allocate<float>(Length);
        _buffer.Span.Clear();
        _raw = new RawWasmtime(ModuleVariant.Simd);
        _rawAddress = _raw.AllocateFloats(Length);
        _raw.Memory.GetSpan<float>(_rawAddress, Length).Clear();
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _buffer?.Dispose();
        _module?.Dispose();
        _raw?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float Array_Span()
    {
        Span<float> span = _array.AsSpan();
        span[Length - 1] += 1f;
        return span[0];
    }

    [Benchmark]
    public float Library_Span()
    {
        Span<float> span = _buffer!.Span;
        span[Length - 1] += 1f;
        return span[0];
    }

    [Benchmark]
    public float RawWasmtime_GetSpan()
    {
        Span<float> span = _raw!.Memory.GetSpan<float>(_rawAddress, Length);
        span[Length - 1] += 1f;
        return span[0];
    }
}
