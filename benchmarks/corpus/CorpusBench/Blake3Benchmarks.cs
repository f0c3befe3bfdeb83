using System;
using BenchmarkDotNet.Attributes;
using Wasmtime;
using WasmSharedMemory;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>blake3-wasm (minified Emscripten): hash_oneshot of its case's input into 32 bytes.</summary>
[MemoryDiagnoser]
public class Blake3Benchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawInstance? _raw;
    private Memory? _memory;
    private Func<int, int>? _malloc;
    private Action<int>? _free;
    private Action<int, int, int, int>? _hash;
    private WasmHost? _host;
    private Blake3Wasm? _blake3;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("blake3-wasm");
        _raw = new RawInstance(PublishedModules.Path("blake3-wasm"), "d", linker =>
        {
            linker.DefineFunction("a", "a", (Caller caller, int size) => RawEmscripten.ResizeHeap(caller.GetMemory("d")!, size));
            linker.DefineFunction("a", "b", (Caller caller, int dest, int src, int n) => RawEmscripten.MemcpyBig(caller.GetMemory("d")!, dest, src, n));
            linker.DefineFunction("a", "c", (int condition, int file, int line, int function) => throw new InvalidOperationException("assert"));
        });
        Instance instance = _raw.Instance;
        _memory = _raw.Memory;
        instance.GetAction("e")!();   // __wasm_call_ctors
        _hash = instance.GetAction<int, int, int, int>("f")!;
        _malloc = instance.GetFunction<int, int>("h")!;
        _free = instance.GetAction<int>("o")!;

        var options = new WasmHostOptions();
        Blake3Wasm.DefineImports(options.Imports);
        _host = WasmHost.FromFile(PublishedModules.Path("blake3-wasm"), Blake3Wasm.Contract, options);
        _blake3 = new Blake3Wasm(_host);
        _blake3.CallConstructors();
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
    public byte Raw()
    {
        int source = _malloc!(_input.Length), output = _malloc(32);
        _input.CopyTo(_memory!.GetSpan<byte>(source, _input.Length));
        _hash!(source, _input.Length, output, 32);
        byte first = _memory.GetSpan<byte>(output, 32)[0];
        _free!(source);
        _free(output);
        return first;
    }

    [Benchmark]
    public byte Library()
    {
        using WasmBuffer<byte> source = _host!.Allocate<byte>(_input.Length);
        using WasmBuffer<byte> output = _host.Allocate<byte>(32);
        _input.CopyTo(source.Span);
        _blake3!.HashOneShot(source, _input.Length, output, 32);
        return output.Span[0];
    }
}
