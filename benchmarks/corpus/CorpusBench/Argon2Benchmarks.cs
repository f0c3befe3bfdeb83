using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Wasmtime;
using WasmSharedMemory;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>argon2-browser (minified Emscripten): argon2id, t = 1, m = 65536 KiB, of its case's password, as its hash() does.</summary>
[MemoryDiagnoser]
public class Argon2Benchmarks
{
    public const int Time = 1, MemoryKiB = 65536, HashLength = 32, Argon2id = 2, Version = 0x13;
    public static readonly byte[] Salt = Encoding.UTF8.GetBytes("wasm-shared-memory");

    private byte[] _input = Array.Empty<byte>();
    private RawInstance? _raw;
    private Memory? _memory;
    private Func<int, int>? _malloc;
    private Action<int>? _free;
    private Function? _hash;
    private WasmHost? _host;
    private Argon2Wasm? _argon2;

    [GlobalSetup]
    public void Setup()
    {
        _input = Cases.Input("argon2-browser");
        _raw = new RawInstance(PublishedModules.Path("argon2-browser"), "c", linker =>
        {
            // argon2.js: a = emscripten_memcpy_big(dest, src, n), b = emscripten_resize_heap(size).
            linker.DefineFunction("a", "a", (Caller caller, int dest, int src, int n) =>
            {
                RawEmscripten.MemcpyBig(caller.GetMemory("c")!, dest, src, n);
                return dest;
            });
            linker.DefineFunction("a", "b", (Caller caller, int size) => RawEmscripten.ResizeHeap(caller.GetMemory("c")!, size));
        });
        Instance instance = _raw.Instance;
        _memory = _raw.Memory;
        instance.GetAction("d")!();   // __wasm_call_ctors
        _hash = instance.GetFunction("e")!;   // argon2_hash: 13 parameters, more than the typed wrappers take
        _malloc = instance.GetFunction<int, int>("f")!;
        _free = instance.GetAction<int>("g")!;

        var options = new WasmHostOptions();
        Argon2Wasm.DefineImports(options.Imports);
        _host = WasmHost.FromFile(PublishedModules.Path("argon2-browser"), Argon2Wasm.Contract, options);
        _argon2 = new Argon2Wasm(_host);
        _argon2.CallConstructors();
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
        int pwd = Copy(_input), salt = Copy(Salt), hash = _malloc!(HashLength);
        object? result = _hash!.Invoke(Time, MemoryKiB, 1, pwd, _input.Length, salt, Salt.Length, hash, HashLength, 0, 0, Argon2id, Version);
        if ((int)result! != 0)
        {
            throw new InvalidOperationException($"argon2_hash returned {result}");
        }

        byte first = _memory!.GetSpan<byte>(hash, HashLength)[0];
        _free!(pwd);
        _free(salt);
        _free(hash);
        return first;
    }

    [Benchmark]
    public byte Library()
    {
        using WasmBuffer<byte> pwd = _host!.Allocate<byte>(_input.Length);
        using WasmBuffer<byte> salt = _host.Allocate<byte>(Salt.Length);
        using WasmBuffer<byte> hash = _host.Allocate<byte>(HashLength);
        _input.CopyTo(pwd.Span);
        Salt.CopyTo(salt.Span);
        int code = _argon2!.Hash(Time, MemoryKiB, 1, pwd, _input.Length, salt, Salt.Length, hash, HashLength, 0, 0, Argon2id, Version);
        return code == 0 ? hash.Span[0] : throw new InvalidOperationException($"argon2_hash returned {code}");
    }

    private int Copy(byte[] bytes)
    {
        int address = _malloc!(bytes.Length);
        bytes.CopyTo(_memory!.GetSpan<byte>(address, bytes.Length));
        return address;
    }
}
