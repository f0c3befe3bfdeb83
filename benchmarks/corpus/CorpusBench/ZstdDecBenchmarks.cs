using System;
using BenchmarkDotNet.Attributes;
using Wasmtime;
using WasmSharedMemory;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>zstddec (standalone Emscripten): ZSTD_decompress of the level-3 frame of its case's input, as its decode() does.</summary>
[MemoryDiagnoser]
public class ZstdDecBenchmarks
{
    private byte[] _frame = Array.Empty<byte>();
    private int _size;
    private RawInstance? _raw;
    private Memory? _memory;
    private Func<int, int>? _malloc;
    private Action<int>? _free;
    private Func<int, int, int, int, int>? _decompress;
    private WasmHost? _host;
    private ZstdDec? _zstd;

    [GlobalSetup]
    public void Setup()
    {
        byte[] input = Cases.Input("zstddec");
        _size = input.Length;
        _frame = NodeReference.Run("zstd-wasm.mjs", new[] { "compress", "--level", "3" }, input);

        _raw = new RawInstance(PublishedModules.Path("zstddec"), "memory", linker =>
        {
            linker.DefineFunction("env", "emscripten_notify_memory_growth", (int index) => { });
        });
        Instance instance = _raw.Instance;
        _memory = _raw.Memory;
        _malloc = instance.GetFunction<int, int>("malloc")!;
        _free = instance.GetAction<int>("free")!;
        _decompress = instance.GetFunction<int, int, int, int, int>("ZSTD_decompress")!;

        _host = WasmHost.FromFile(PublishedModules.Path("zstddec"));
        _zstd = new ZstdDec(_host);
        if (Raw() != _size || Library() != _size)
        {
            throw new InvalidOperationException("a runner did not decompress the whole frame");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host?.Dispose();
        _raw?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Raw()
    {
        int source = _malloc!(_frame.Length);
        _frame.CopyTo(_memory!.GetSpan<byte>(source, _frame.Length));
        int destination = _malloc(_size);
        int written = _decompress!(destination, _size, source, _frame.Length);
        _ = _memory.GetSpan<byte>(destination, written).ToArray();
        _free!(source);
        _free(destination);
        return written;
    }

    [Benchmark]
    public int Library()
    {
        using WasmBuffer<byte> source = _host!.Allocate<byte>(_frame.Length);
        _frame.CopyTo(source.Span);
        using WasmBuffer<byte> destination = _host.Allocate<byte>(_size);
        int written = _zstd!.Decompress(destination, _size, source, _frame.Length);
        _ = destination.Span.Slice(0, written).ToArray();
        return written;
    }
}
