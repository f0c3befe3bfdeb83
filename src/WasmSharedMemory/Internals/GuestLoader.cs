using System;
using System.Linq;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals;

/// <summary>Instantiates a compiled module as a <see cref="GuestInstance"/>: the store, its limits, the imports, the ABI check and the heap.</summary>
internal static class GuestLoader
{
    private const string WasiModule = "wasi_snapshot_preview1";

    /// <summary>
    /// Instantiates <paramref name="module"/> in a new store on <paramref name="engine"/>, defines WASI preview 1
    /// when it imports it, and binds <paramref name="contract"/> (detected from the exports when null).
    /// </summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for.</param>
    /// <param name="module">The compiled module; not owned.</param>
    /// <param name="contract">The allocator exports, or null to detect them.</param>
    /// <param name="options">Limits and WASI grants, or null.</param>
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
        bool ticking = false;
        try
        {
            if (maxMemoryBytes is not null)
            {
                store.SetLimits(memorySize: maxMemoryBytes);
            }

            var limits = new CallLimits(store, interruptible, options);
            if (interruptible)
            {
                // Before instantiation, so a start function's time limit is enforced.
                EpochTicker.Attach(engine);
                ticking = true;
            }

            // Every piece of guest code from here to EndLoad (a start function inside the instantiation, the ABI
            // check, any initialization call) runs under CallTimeout, FuelPerCall and the load's token.
            limits.BeginLoad(options?.LoadCancellationToken ?? CancellationToken.None);
            Instance instance = Instantiate(engine, store, module, options, limits);
            Memory memory = instance.GetMemory("memory")
                ?? throw new WasmContractException($"The module does not export its linear memory as 'memory'. It exports: {ExportSignatures.ListExports(module)}.");
            if (memory.Is64Bit)
            {
                throw new WasmContractException("The module's memory 'memory' is 64-bit; the library supports 32-bit linear memory.");
            }

            guest = new GuestInstance(store, module, instance, memory, limits, interruptible ? engine : null);
            ticking = false; // the instance detaches when disposed
            if (contract == AllocatorContract.WasmSharedMemory)
            {
                CheckAbiVersion(guest);
            }

            guest.AttachHeap(new GuestHeap(guest, contract, maxMemoryBytes));
            limits.EndLoad();
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
                if (ticking)
                {
                    EpochTicker.Detach(engine);
                }
            }

            throw;
        }
    }

    /// <summary>Instantiates <paramref name="module"/>, running its start function under the armed limits, and maps a trap, timeout or cancellation of it.</summary>
    private static Instance Instantiate(Engine engine, Store store, Module module, WasmHostOptions? options, CallLimits limits)
    {
        Linker? linker = null;
        try
        {
            if (module.Imports.Count > 0)
            {
                linker = Link(engine, store, module, options);
            }

            Instance instance;
            try
            {
                instance = linker is null ? new Instance(store, module) : linker.Instantiate(store, module);
                limits.CheckReturnedInTime();
            }
            catch (WasmtimeException ex) when (ex is TrapException || ex.InnerException is TimeoutException or OperationCanceledException)
            {
                throw limits.FailedLoading(ex);
            }

            return instance;
        }
        finally
        {
            linker?.Dispose();
        }
    }

    /// <summary>A linker with WASI preview 1, after checking that the module imports nothing else.</summary>
    private static Linker Link(Engine engine, Store store, Module module, WasmHostOptions? options)
    {
        string[] unsupported = module.Imports.Where(i => i.ModuleName != WasiModule).Select(i => $"{i.ModuleName}.{i.Name}").ToArray();
        if (unsupported.Length > 0)
        {
            throw new WasmContractException(
                $"The module imports {string.Join(", ", unsupported)}, which the host does not provide; only WASI preview 1 ({WasiModule}) is defined.");
        }

        store.SetWasiConfiguration(WasiFrom(options));
        var linker = new Linker(engine);
        linker.DefineWasi();
        return linker;
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
        var call = new AbiVersionCall(guest.Bind(KernelAbi.VersionExport, KernelAbi.VersionSignature));
        int abi = guest.Call<AbiVersionCall, int>(ref call);
        if (abi != KernelAbi.Version)
        {
            throw new WasmContractException($"The module speaks allocator ABI version {abi}; this library speaks version {KernelAbi.Version}.");
        }
    }

    private readonly struct AbiVersionCall : IGuestCall<int>
    {
        private readonly GuestFunction _function;

        public AbiVersionCall(GuestFunction function) => _function = function;

        public string Export => _function.Name;

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out int result)
        {
            result = 0;
            return true;
        }

        public int Invoke(GuestInstance guest)
        {
            Span<RawValue> slots = stackalloc RawValue[1];
            _function.Invoke(slots);
            return slots[0].I32;
        }
    }
}
