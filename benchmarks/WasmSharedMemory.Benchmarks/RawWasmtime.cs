using System;
using System.IO;
using Wasmtime;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// The library's own kernel module loaded straight through Wasmtime's public API, as a user without this
/// library would: same .wasm bytes, same engine settings, a typed delegate per export.
/// </summary>
internal sealed class RawWasmtime : IDisposable
{
    private readonly Engine _engine;
    private readonly Module _module;
    private readonly Store _store;

    public RawWasmtime(ModuleVariant variant)
    {
        // Mirrors Internals/ModuleCatalog.cs so the only difference from the library is the call path.
        _engine = new Engine(new Config()
            .WithMemoryMayMove(false)
            .WithStaticMemoryMaximumSize(1UL << 32)
            .WithOptimizationLevel(OptimizationLevel.Speed));
        string resource = variant == ModuleVariant.Scalar ? "WasmSharedMemory.scalar.wasm" : "WasmSharedMemory.simd.wasm";
        using (Stream stream = typeof(SharedMemoryModule).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The library does not embed {resource}."))
        {
            _module = Module.FromStream(_engine, resource, stream);
        }

        _store = new Store(_engine);
        var instance = new Instance(_store, _module);
        Memory = instance.GetMemory("memory") ?? throw new InvalidOperationException("no memory export");
        Alloc = instance.GetFunction<int, int, int>("wsm_alloc") ?? throw new InvalidOperationException("no wsm_alloc");
        MultiplyF32 = instance.GetAction<int, int, int, int>("multiply_f32") ?? throw new InvalidOperationException("no multiply_f32");
    }

    public Memory Memory { get; }

    public Func<int, int, int> Alloc { get; }

    /// <summary>Gets <c>multiply_f32(n, dst, a, b)</c> as Wasmtime's typed delegate.</summary>
    public Action<int, int, int, int> MultiplyF32 { get; }

    /// <summary>Allocates <paramref name="length"/> floats with the module's allocator and returns the address.</summary>
    public int AllocateFloats(int length)
    {
        int address = Alloc(checked(Math.Max(1, length) * sizeof(float)), 16);
        return address != 0 ? address : throw new OutOfMemoryException($"wsm_alloc could not allocate {length} floats");
    }

    public void Dispose()
    {
        _store.Dispose();
        _module.Dispose();
        _engine.Dispose();
    }
}
