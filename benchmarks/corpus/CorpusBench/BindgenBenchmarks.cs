using System;
using BenchmarkDotNet.Attributes;
using Wasmtime;
using WasmSharedMemory;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>wasm-flate (wasm-bindgen 0.2.58): zlib_encode_raw of its case's input.</summary>
[MemoryDiagnoser]
public class WasmFlateBenchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawBindgen? _raw;
    private Action<int, int, int>? _encode;
    private WasmHost? _host;
    private WasmFlate? _flate;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("wasm-flate");
        _raw = new RawBindgen(PublishedModules.Path("wasm-flate"), linker => { });
        _encode = _raw.Instance.GetAction<int, int, int>("zlib_encode_raw")!;
        _host = WasmHost.FromFile(PublishedModules.Path("wasm-flate"));
        _flate = new WasmFlate(_host);
        if (!Raw().AsSpan().SequenceEqual(Library()))
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
    public byte[] Raw() => _raw!.CallVec(_encode!, _input);

    [Benchmark]
    public byte[] Library()
    {
        _flate!.ZlibEncode(out WasmBindgenVec vec, _input);
        using WasmBuffer<byte> result = _host!.Adopt<byte>(vec.Pointer, vec.Length);
        return result.ToArray();
    }
}

/// <summary>lz4-wasm-nodejs (wasm-bindgen 0.2.80): compress of its case's input.</summary>
[MemoryDiagnoser]
public class Lz4Benchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawBindgen? _raw;
    private Action<int, int, int>? _compress;
    private WasmHost? _host;
    private Lz4? _lz4;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("lz4-wasm-nodejs");
        _raw = new RawBindgen(PublishedModules.Path("lz4-wasm-nodejs"), linker =>
            linker.DefineFunction("__wbindgen_placeholder__", "__wbindgen_string_new", new Func<int, int, int>((text, length) => throw new InvalidOperationException("lz4 error"))));
        _compress = _raw.Instance.GetAction<int, int, int>("compress")!;
        _host = WasmHost.FromFile(PublishedModules.Path("lz4-wasm-nodejs"));
        _lz4 = new Lz4(_host);
        if (!Raw().AsSpan().SequenceEqual(Library()))
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
    public byte[] Raw() => _raw!.CallVec(_compress!, _input);

    [Benchmark]
    public byte[] Library() => _lz4!.Compress(_input);
}

/// <summary>brotli-wasm (wasm-bindgen 0.2.80): compress of its case's input with the default options (undefined: quality 11).</summary>
[MemoryDiagnoser]
public class BrotliBenchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawBindgen? _raw;
    private Action<int, int, int, int>? _compress;
    private WasmHost? _host;
    private BrotliWasm? _brotli;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("brotli-wasm");
        _raw = new RawBindgen(PublishedModules.Path("brotli-wasm"), linker =>
        {
            // The intrinsics and the crate's imports, by hand: undefined is JsValue 32, the only value compress sees.
            const string module = "__wbindgen_placeholder__";
            linker.DefineFunction(module, "__wbindgen_is_undefined", (int value) => value == 32 ? 1 : 0);
            linker.DefineFunction(module, "__wbindgen_is_object", (int value) => 0);
            linker.DefineFunction(module, "__wbindgen_string_new", new Func<int, int, int>((text, length) => throw new InvalidOperationException("brotli error")));
            linker.DefineFunction(module, "__wbindgen_error_new", new Func<int, int, int>((text, length) => throw new InvalidOperationException("brotli error")));
            linker.DefineFunction(module, "__wbindgen_json_serialize", (int result, int value) => throw new InvalidOperationException("options"));
            linker.DefineFunction(module, "__wbg_new_693216e109162396", new Func<int>(() => throw new InvalidOperationException("panic")));
            linker.DefineFunction(module, "__wbg_stack_0ddaca5d1abfb52f", (int result, int error) => throw new InvalidOperationException("panic"));
            linker.DefineFunction(module, "__wbg_error_09919627ac0992f5", (int text, int length) => throw new InvalidOperationException("panic"));
            linker.DefineFunction(module, "__wbindgen_object_drop_ref", (int value) => { });
            linker.DefineFunction(module, "__wbindgen_throw", (int text, int length) => throw new InvalidOperationException("throw"));
        });
        _compress = _raw.Instance.GetAction<int, int, int, int>("compress")!;
        _host = WasmHost.FromFile(PublishedModules.Path("brotli-wasm"), options: BrotliWasm.Options());
        _brotli = new BrotliWasm(_host);
        if (!Raw().AsSpan().SequenceEqual(Library()))
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
    public byte[] Raw() => _raw!.CallVec((area, pointer, length) => _compress!(area, pointer, length, 32), _input);

    [Benchmark]
    public byte[] Library()
    {
        _brotli!.Compress(out WasmBindgenVecResult result, _input, BrotliWasm.Undefined);
        using WasmBuffer<byte> bytes = _host!.Adopt<byte>(result.Pointer, result.Length);
        return bytes.ToArray();
    }
}

/// <summary>farmhash-modern: fingerprint64 of its case's input.</summary>
[MemoryDiagnoser]
public class FarmHashBenchmarks
{
    private byte[] _input = Array.Empty<byte>();
    private RawBindgen? _raw;
    private Func<int, int, long>? _fingerprint;
    private WasmHost? _host;
    private FarmHash? _farmhash;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("farmhash-modern");
        _raw = new RawBindgen(PublishedModules.Path("farmhash-modern"), linker =>
        {
            const string module = "__wbindgen_placeholder__";
            linker.DefineFunction(module, "__wbg_new_abda76e883ba8a5f", new Func<int>(() => throw new InvalidOperationException("panic")));
            linker.DefineFunction(module, "__wbg_stack_658279fe44541cf6", (int result, int error) => throw new InvalidOperationException("panic"));
            linker.DefineFunction(module, "__wbg_error_f851667af71bcfc6", (int text, int length) => throw new InvalidOperationException("panic"));
            linker.DefineFunction(module, "__wbindgen_object_drop_ref", (int value) => { });
        });
        _fingerprint = _raw.Instance.GetFunction<int, int, long>("fingerprint64")!;
        _host = WasmHost.FromFile(PublishedModules.Path("farmhash-modern"), options: FarmHash.Options());
        _farmhash = new FarmHash(_host);
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
    public long Raw() => _fingerprint!(_raw!.Pass(_input), _input.Length);

    [Benchmark]
    public long Library() => _farmhash!.Fingerprint64(_input);
}
