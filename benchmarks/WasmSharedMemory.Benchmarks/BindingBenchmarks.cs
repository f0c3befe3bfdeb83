using System;
using BenchmarkDotNet.Attributes;
using Wasmtime;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// A generated binding's call against <see cref="WasmHost.GetFunction{T1, T2, T3, T4, TResult}(string)"/>'s delegate
/// on the same export (the baseline), Wasmtime's own typed delegate (the floor), and the stb-shaped six-parameter
/// export with three out-parameters that only a binding reaches.
/// </summary>
[MemoryDiagnoser]
public class BindingBenchmarks
{
    private const string Wat = """
        (module
          (memory (export "memory") 1)
          (global $next (mut i32) (i32.const 1024))
          (func (export "malloc") (param $size i32) (result i32) (local $p i32)
            (local.set $p (global.get $next))
            (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
            (local.get $p))
          (func (export "free") (param i32))
          (func (export "add4") (param i32 i32 i32 i32) (result i32)
            (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3))))
          (func (export "load") (param $data i32) (param $len i32) (param $w i32) (param $h i32) (param $c i32) (param $desired i32) (result i32)
            (i32.store (local.get $w) (local.get $len))
            (i32.store (local.get $h) (local.get $desired))
            (i32.store (local.get $c) (i32.const 3))
            (local.get $len)))
        """;

    private WasmHost? _host;
    private BenchBinding? _binding;
    private Func<int, int, int, int, int>? _delegate;
    private WasmBuffer<byte>? _data;
    private Engine? _engine;
    private Store? _store;
    private Func<int, int, int, int, int>? _raw;

    [GlobalSetup]
    public void SetUp()
    {
        _host = WasmHost.FromText(Wat);
        _binding = new BenchBinding(_host);
        _delegate = _host.GetFunction<int, int, int, int, int>("add4");
        _data = _host.Allocate<byte>(16);

        _engine = new Engine();
        _store = new Store(_engine);
        using var module = Module.FromText(_engine, "bench", Wat);
        _raw = new Instance(_store, module).GetFunction<int, int, int, int, int>("add4");
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _data?.Dispose();
        _host?.Dispose();
        _store?.Dispose();
        _engine?.Dispose();
    }

    /// <summary>Four i32 parameters through the library's <c>GetFunction</c> delegate: what a binding is held to.</summary>
    [Benchmark(Baseline = true)]
    public int GetFunction_Add4() => _delegate!(1, 2, 3, 4);

    /// <summary>The same export through the generated binding.</summary>
    [Benchmark]
    public int Binding_Add4() => _binding!.Add4(1, 2, 3, 4);

    /// <summary>The same export through Wasmtime's typed delegate, without the library's guarded path.</summary>
    [Benchmark]
    public int RawWasmtime_Add4() => _raw!(1, 2, 3, 4);

    /// <summary>Six parameters, a checked buffer and three out-parameters through the binding's scratch block.</summary>
    [Benchmark]
    public int Binding_Load6ThreeOuts() => _binding!.Load(_data!, 16, out int w, out int h, out int c, 4) + w + h + c;
}

/// <summary>The binding the benchmarks call.</summary>
[WasmModule]
public sealed partial class BenchBinding
{
    [WasmExport("add4")]
    public partial int Add4(int a, int b, int c, int d);

    [WasmExport("load")]
    public partial int Load(WasmBuffer<byte> data, int length, out int width, out int height, out int channels, int desiredChannels);
}
