using System;
using System.Linq;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Imports;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals;

/// <summary>Instantiates a compiled module as a <see cref="GuestInstance"/>: the store, its limits, the imports, a reactor's initialization, the ABI check and the heap.</summary>
internal static class GuestLoader
{
    private const string WasiModule = "wasi_snapshot_preview1";

    /// <summary>
    /// Instantiates <paramref name="module"/> in a new store on <paramref name="engine"/>, defines WASI preview 1
    /// when it imports it and its other imports from the options or the built-in defaults, runs its
    /// <c>_initialize</c> if it is a reactor, and binds <paramref name="contract"/> (detected from the exports when null).
    /// </summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for.</param>
    /// <param name="module">The compiled module; not owned.</param>
    /// <param name="contract">The allocator exports, or null to detect them.</param>
    /// <param name="options">Limits, WASI grants and host functions, or null.</param>
    /// <param name="interruptible">Whether <paramref name="engine"/> has epoch interruption, so time limits and cancellation work.</param>
    public static GuestInstance Load(Engine engine, Module module, AllocatorContract? contract, WasmHostOptions? options, bool interruptible)
    {
        if (options?.CallTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "CallTimeout must be positive.");
        }

        long? maxMemoryBytes = options?.MaxMemoryBytes;
        if (maxMemoryBytes is { } max)
        {
            long initial = module.Exports.OfType<MemoryExport>().Where(e => e.Name == "memory").Select(e => e.Minimum * Memory.PageSize).FirstOrDefault();
            if (max < initial || max > 1L << 32)
            {
                throw new ArgumentOutOfRangeException(nameof(options), max, $"MaxMemoryBytes must lie between the module's initial memory of {initial} bytes and 4 GiB.");
            }
        }

        contract ??= GuestHeap.Detect(module);
        var store = new Store(engine);
        GuestInstance? guest = null;
        try
        {
            if (maxMemoryBytes is not null)
            {
                store.SetLimits(memorySize: maxMemoryBytes);
            }

            var limits = new CallLimits(store, interruptible, options);
            var scope = new HostCallScope();
            Instance instance = Instantiate(engine, store, module, options, scope);
            Memory memory = instance.GetMemory("memory")
                ?? throw new WasmContractException($"The module does not export its linear memory as 'memory'. It exports: {ExportSignatures.ListExports(module)}.");
            if (memory.Is64Bit)
            {
                throw new WasmContractException("The module's memory 'memory' is 64-bit; the library supports 32-bit linear memory.");
            }

            if (interruptible)
            {
                EpochTicker.Attach(engine);
            }

            guest = new GuestInstance(store, module, instance, memory, limits, interruptible ? engine : null);
            scope.Attach(guest);
            ReactorInitializer.RunIfExported(guest);
            if (contract == AllocatorContract.WasmSharedMemory)
            {
                CheckAbiVersion(guest);
            }

            guest.AttachHeap(new GuestHeap(guest, contract, maxMemoryBytes));
            return guest;
        }
        catch
        {
            if (guest is not null)
            {
                guest.Dispose();
            }
            else
            {
                store.Dispose();
            }

            throw;
        }
    }

    private static Instance Instantiate(Engine engine, Store store, Module module, WasmHostOptions? options, HostCallScope scope)
    {
        if (module.Imports.Count == 0)
        {
            return new Instance(store, module);
        }

        using var linker = new Linker(engine);
        ImportBinder.Define(linker, module, options?.Imports, scope, skipModule: WasiModule);
        if (module.Imports.Any(i => i.ModuleName == WasiModule))
        {
            store.SetWasiConfiguration(WasiFrom(options));
            linker.DefineWasi();
        }

        return linker.Instantiate(store, module);
    }

    /// <summary>WASI with nothing granted except what <paramref name="options"/> grants.</summary>
    private static WasiConfiguration WasiFrom(WasmHostOptions? options)
    {
        var wasi = new WasiConfiguration();
        if (options is null)
        {
            return wasi;
        }

        if (options.InheritStandardOutput)
        {
            wasi.WithInheritedStandardOutput();
        }

        if (options.InheritStandardError)
        {
            wasi.WithInheritedStandardError();
        }

        foreach (var variable in options.EnvironmentVariables)
        {
            wasi.WithEnvironmentVariable(variable.Key, variable.Value);
        }

        foreach (var directory in options.PreopenedDirectories)
        {
            wasi.WithPreopenedDirectory(directory.Value, directory.Key, mutable: false);
        }

        return wasi;
    }

    private static void CheckAbiVersion(GuestInstance guest)
    {
        var call = new NullaryCall(guest.Bind(KernelAbi.VersionExport, KernelAbi.VersionSignature));
        int abi = guest.Call<NullaryCall, int>(ref call);
        if (abi != KernelAbi.Version)
        {
            throw new WasmContractException($"The module speaks allocator ABI version {abi}; this library speaks version {KernelAbi.Version}.");
        }
    }
}
