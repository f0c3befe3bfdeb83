using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Imports;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>Builds the linker that satisfies a module's imports: a shared memory, or host functions and WASI preview 1.</summary>
internal static class ImportLinker
{
    /// <summary>The module name WASI preview 1 functions are imported from.</summary>
    public const string WasiModule = "wasi_snapshot_preview1";

    /// <summary>
    /// Returns a linker with the module's imports, or null when it imports nothing: <paramref name="shared"/> as
    /// <c>env.memory</c> (a shared kernel build imports nothing else), else the host functions of
    /// <paramref name="options"/> or the built-in defaults, and WASI preview 1 if the module imports it.
    /// </summary>
    /// <exception cref="WasmContractException">An import has no definition with its signature.</exception>
    /// <exception cref="WasmSharedMemoryException">A WASI grant cannot be honored.</exception>
    public static Linker? Create(Engine engine, Store store, Module module, WasmHostOptions? options, HostCallScope scope, SharedLinearMemory? shared)
    {
        if (shared is null && module.Imports.Count == 0)
        {
            return null;
        }

        var linker = new Linker(engine);
        try
        {
            if (shared is not null)
            {
                shared.DefineIn(linker, store);
                return linker;
            }

            ImportBinder.Define(linker, module, options?.Imports, scope, skipModule: WasiModule);
            if (module.Imports.Any(i => i.ModuleName == WasiModule))
            {
                WasiGrants.Configure(store, options);
                linker.DefineWasi();
            }

            return linker;
        }
        catch
        {
            linker.Dispose();
            throw;
        }
    }
}
