using System;
using BenchmarkDotNet.Attributes;
using Wasmtime;
using WasmSharedMemory;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>rabin-wasm's fingerprint of its case's input: raw Wasmtime, then the library through the RabinWasm binding.</summary>
[MemoryDiagnoser]
public class RabinBenchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawInstance? _raw;
    private Memory? _memory;
    private Func<int, int, int>? _alloc;
    private Func<int, int>? _retain;
    private Action<int>? _release;
    private Func<int, int, int, int, int, int>? _construct;
    private Func<int, int, int, int>? _fingerprint;
    private WasmHost? _host;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("rabin-wasm");
        string path = PublishedModules.Path("rabin-wasm");

        _raw = new RawInstance(path, "memory", linker =>
        {
            linker.DefineFunction("env", "abort", (int message, int file, int line, int column) => throw new InvalidOperationException($"abort at {line}:{column}"));
        });
        Instance instance = _raw.Instance;
        _memory = _raw.Memory;
        _alloc = instance.GetFunction<int, int, int>("__alloc")!;
        _retain = instance.GetFunction<int, int>("__retain")!;
        _release = instance.GetAction<int>("__release")!;
        _construct = instance.GetFunction<int, int, int, int, int, int>("Rabin#constructor")!;
        _fingerprint = instance.GetFunction<int, int, int, int>("Rabin#fingerprint")!;

        _host = WasmHost.FromFile(path, RabinChunker.Contract);
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

    /// <summary>The loader's steps on Wasmtime's own API: two arrays, the call, the lengths read, every reference released.</summary>
    [Benchmark(Baseline = true)]
    public int Raw()
    {
        int self = _construct!(0, RabinChunker.Bits, RabinChunker.Min, RabinChunker.Max, RabinChunker.Window);
        int bytes = NewView(_input.Length, 4, out int data);
        int lengths = NewView(4 * ((_input.Length + RabinChunker.Min - 1) / RabinChunker.Min), 3, out int lengthData);
        _input.CopyTo(_memory!.GetSpan<byte>(data, _input.Length));
        int result = _fingerprint!(self, bytes, lengths);
        Span<int> view = _memory.GetSpan<int>(result, 3);
        ReadOnlySpan<int> all = _memory.GetSpan<int>(view[1], view[2] / 4);
        int end = all.IndexOf(0);
        int count = end >= 0 ? end : all.Length;
        _release!(result);
        _release(bytes);
        _release(lengths);
        _release(data);
        _release(lengthData);
        _release(self);
        return count;
    }

    [Benchmark]
    public int Library() => RabinChunker.Chunk(_host!, _input).Length;

    private int NewView(int byteLength, int id, out int buffer)
    {
        buffer = _retain!(_alloc!(byteLength, 0));
        int view = _retain(_alloc(12, id));
        Span<int> fields = _memory!.GetSpan<int>(view, 3);
        fields[0] = _retain(buffer);
        fields[1] = buffer;
        fields[2] = byteLength;
        return view;
    }
}
