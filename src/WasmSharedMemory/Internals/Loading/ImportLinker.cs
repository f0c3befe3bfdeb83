using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Imports;
using WasmSharedMemory.Internals.Native;
using WasmSharedMemory.Internals.Wasi;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>Builds the linker that satisfies a module's imports: a shared memory, or host functions and WASI preview 1.</summary>
internal static class ImportLinker
{
    /// <summary>The module name WASI preview 1 functions are imported from.</summary>
    public const string WasiModule = "wasi_snapshot_preview1";

    /// <summary>
    /// Returns a linker with the module's imports, or null when it imports nothing: <paramref name="shared"/> as
    /// <c>env.memory</c> (a shared kernel build imports nothing else), else the host functions of
    /// <paramref name="options"/> or the built-in defaults, and WASI preview 1 if the module imports it, with the host's
    /// own <c>poll_oneoff</c>, whose clock waits end at the deadline and tokens of <paramref name="limits"/>.
    /// </summary>
    /// <exception cref="WasmContractException">An import has no definition with its signature.</exception>
    /// <exception cref="WasmSharedMemoryException">A WASI grant cannot be honored.</exception>
    public static Linker? Create(Engine engine, Store store, Module module, WasmHostOptions? options, HostCallScope scope, SharedLinearMemory? shared, CallLimits limits)
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
                if (module.Imports.Any(i => i.ModuleName == WasiModule && i.Name == WasiPoll.Name))
                {
                    WasiPoll.Attach(engine, store, limits);
                    WasiPoll.Define(linker);
                }
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
