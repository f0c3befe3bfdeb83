using System;
using BenchmarkDotNet.Attributes;
using Wasmtime;
using WasmSharedMemory;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>@bokuweb/zstd-wasm (minified Emscripten): ZSTD_compress at level 3 of its case's input, as its compress() does: raw Wasmtime, then the library through the ZstdWasm binding.</summary>
[MemoryDiagnoser]
public class ZstdBenchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawInstance? _raw;
    private Memory? _memory;
    private Func<int, int>? _bound, _malloc;
    private Action<int>? _free;
    private Func<int, int, int, int, int, int>? _compress;
    private WasmHost? _host;
    private ZstdWasm? _zstd;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("zstd-wasm");
        _raw = new RawInstance(PublishedModules.Path("zstd-wasm"), "f", linker =>
        {
            // The package's JavaScript maps its minified imports: a = proc_exit, b = keepalive_clear, c = abort, d = setitimer, e = resize_heap.
            linker.DefineFunction("a", "a", (int code) => throw new InvalidOperationException($"exit {code}"));
            linker.DefineFunction("a", "b", () => { });
            linker.DefineFunction("a", "c", () => throw new InvalidOperationException("abort"));
            linker.DefineFunction("a", "d", (int which, double ms) => 0);
            linker.DefineFunction("a", "e", (Caller caller, int size) => RawEmscripten.ResizeHeap(caller.GetMemory("f")!, size));
        });
        Instance instance = _raw.Instance;
        _memory = _raw.Memory;
        instance.GetAction("g")!();   // __wasm_call_ctors
        _bound = instance.GetFunction<int, int>("i")!;
        _compress = instance.GetFunction<int, int, int, int, int, int>("m")!;
        _malloc = instance.GetFunction<int, int>("s")!;
        _free = instance.GetAction<int>("t")!;

        var options = new WasmHostOptions();
        ZstdWasm.DefineImports(options.Imports);
        _host = WasmHost.FromFile(PublishedModules.Path("zstd-wasm"), ZstdWasm.Contract, options);
        _zstd = new ZstdWasm(_host);
        _zstd.CallConstructors();
        if (Raw() != Library())
        {
            throw new InvalidOperationException("raw Wasmtime and the library disagree");
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
        int bound = _bound!(_input.Length);
        int output = _malloc!(bound);
        int source = _malloc(_input.Length);
        _input.CopyTo(_memory!.GetSpan<byte>(source, _input.Length));
        int size = _compress!(output, bound, source, _input.Length, 3);
        int first = _memory.GetSpan<byte>(output, size).ToArray()[0];
        _free!(output);
        _free(source);
        return size + first;
    }

    [Benchmark]
    public int Library()
    {
        int bound = _zstd!.CompressBound(_input.Length);
        using WasmBuffer<byte> destination = _host!.Allocate<byte>(bound);
        using WasmBuffer<byte> source = _host.Allocate<byte>(_input.Length);
        _input.CopyTo(source.Span);
        int size = _zstd.Compress(destination, bound, source, _input.Length, 3);
        return size + destination.Span.Slice(0, size).ToArray()[0];
    }
}
