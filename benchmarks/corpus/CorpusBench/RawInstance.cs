using System;
using Wasmtime;

namespace CorpusBench;

/// <summary>
/// A module instantiated on Wasmtime.Dotnet's own API, its imports defined by hand, as a raw-Wasmtime user writes it:
/// the baseline every corpus benchmark times the library against. Owns the engine, the module and the store.
/// </summary>
internal sealed class RawInstance : IDisposable
{
    private readonly Engine _engine = new();
    private readonly Wasmtime.Module _module;
    private readonly Store _store;

    /// <param name="path">The module's file.</param>
    /// <param name="memory">The name the module exports its linear memory under.</param>
    /// <param name="define">Defines the module's imports on the linker.</param>
    public RawInstance(string path, string memory, Action<Linker> define)
    {
        _module = Wasmtime.Module.FromFile(_engine, path);
        _store = new Store(_engine);
        var linker = new Linker(_engine);
        define(linker);
        Instance = linker.Instantiate(_store, _module);
        Memory = Instance.GetMemory(memory)!;
    }

    public Instance Instance { get; }

    public Memory Memory { get; }

    public void Dispose()
    {
        _store.Dispose();
        _module.Dispose();
        _engine.Dispose();
    }
}
