using System.Linq;
using System.Runtime.CompilerServices;
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

    // Per engine, a linker that defines WASI preview 1 and nothing else. Defining WASI costs more than instantiating
    // (about 60 µs against 13 µs for stb), and a linker is only read when it instantiates, so every instance of a
    // module that imports WASI alone shares one. WASI's state lives in each store (WasiGrants), not in the linker.
    private static readonly ConditionalWeakTable<Engine, Linker> s_wasiOnly = new();
    private static readonly ConditionalWeakTable<Linker, Engine> s_shared = new();

    /// <summary>Gets a value indicating whether <paramref name="linker"/> is shared between instances, so its user must not dispose it.</summary>
    public static bool IsShared(Linker linker) => s_shared.TryGetValue(linker, out _);

    /// <summary>
    /// Returns a linker with the module's imports, or null when it imports nothing: <paramref name="shared"/> as
    /// <c>env.memory</c> (a shared kernel build imports nothing else), else the host functions of
    /// <paramref name="options"/> or the built-in defaults, and WASI preview 1 if the module imports it, with the host's
    /// own <c>poll_oneoff</c>, whose clock waits end at the deadline and tokens of <paramref name="limits"/>. A memory the
    /// module imports (not shared) is made in <paramref name="store"/> with the import's size and maximum, and returned
    /// in <paramref name="imported"/>.
    /// </summary>
    /// <exception cref="WasmContractException">An import has no definition with its signature.</exception>
    /// <exception cref="WasmSharedMemoryException">A WASI grant cannot be honored.</exception>
    public static Linker? Create(Engine engine, Store store, Module module, WasmHostOptions? options, HostCallScope scope, SharedLinearMemory? shared, CallLimits limits, out Memory? imported)
    {
        imported = null;
        if (shared is null && module.Imports.Count == 0)
        {
            return null;
        }

        if (shared is null && module.Imports.Any(i => i.ModuleName == WasiModule && i.Name == WasiPoll.Name))
        {
            // Before either linker below instantiates: the host's poll_oneoff finds this store's limits by its caller.
            // Its memory limit is the one MemoryLimit.ApplyTo set on this store (a store without shared memory).
            WasiPoll.Attach(engine, store, limits, options?.MaxMemoryBytes);
        }

        if (shared is null && module.Imports.All(i => i.ModuleName == WasiModule))
        {
            WasiGrants.Configure(store, options);
            return WasiOnly(engine);
        }

        var linker = new Linker(engine);
        try
        {
            if (shared is not null)
            {
                shared.DefineIn(linker, store);
                return linker;
            }

            if (module.Imports.OfType<MemoryImport>().FirstOrDefault() is { } memoryImport)
            {
                // As a JavaScript host would: a module built to import its memory (Emscripten's -sIMPORTED_MEMORY) gets
                // one of the size it declares, growing to its declared maximum, under the store's limits.
                imported = new Memory(store, memoryImport.Minimum, memoryImport.Maximum, memoryImport.Is64Bit);
                linker.Define(memoryImport.ModuleName, memoryImport.Name, imported);
            }

            ImportBinder.Define(linker, module, options?.Imports, scope, skipModule: WasiModule);
            if (module.Imports.Any(i => i.ModuleName == WasiModule))
            {
                WasiGrants.Configure(store, options);
                linker.DefineWasi();
                WasiPoll.Define(linker);
            }

            return linker;
        }
        catch
        {
            linker.Dispose();
            throw;
        }
    }

    private static Linker WasiOnly(Engine engine) => s_wasiOnly.GetValue(engine, e =>
    {
        var linker = new Linker(e);
        linker.DefineWasi();
        WasiPoll.Define(linker);
        s_shared.Add(linker, e);
        return linker;
    });
}
