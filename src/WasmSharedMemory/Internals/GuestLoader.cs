using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
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

    // How Wasmtime words a memory, table or reservation it could not have (Linux, macOS and Windows errors).
    private static readonly string[] s_outOfMemory =
    {
        "exceeds memory limits", "exceeds table limits", "out of memory", "failed to reserve", "mmap failed",
        "Cannot allocate memory", "os error 12", "os error 8", "os error 1455",
    };

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
    /// <param name="sharedMemory">
    /// The shared memory the module imports as <c>env.memory</c>, or null for a module that exports its own. Owned
    /// from here on: the instance disposes it, or this method does when loading fails. Its maximum, not store
    /// limits, enforces <see cref="WasmHostOptions.MaxMemoryBytes"/>.
    /// </param>
    public static GuestInstance Load(Engine engine, Module module, AllocatorContract? contract, WasmHostOptions? options, bool interruptible, SharedLinearMemory? sharedMemory = null)
    {
        try
        {
            return LoadOwned(engine, module, contract ?? GuestHeap.Detect(module), options, interruptible, sharedMemory);
        }
        catch when (sharedMemory is not null)
        {
            // Disposing twice is harmless: the instance may already have released it.
            sharedMemory.Dispose();
            throw;
        }
    }

    private static GuestInstance LoadOwned(Engine engine, Module module, AllocatorContract contract, WasmHostOptions? options, bool interruptible, SharedLinearMemory? sharedMemory)
    {
        if (options?.CallTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "CallTimeout must be positive.");
        }

        long? maxMemoryBytes = options?.MaxMemoryBytes;
        CheckMaxMemory(maxMemoryBytes, InitialMemoryBytes(module));

        var store = new Store(engine);
        GuestInstance? guest = null;
        bool ticking = false;
        try
        {
            if (maxMemoryBytes is not null && sharedMemory is null)
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
            var scope = new HostCallScope();
            Instance instance = Instantiate(engine, store, module, options, limits, scope, sharedMemory);
            guest = new GuestInstance(store, module, instance, (LinearMemory?)sharedMemory ?? ExportedMemoryOf(module, instance), limits, interruptible ? engine : null);
            ticking = false; // the instance detaches when disposed
            scope.Attach(guest);
            ReactorInitializer.RunIfExported(guest);
            if (contract == AllocatorContract.WasmSharedMemory)
            {
                CheckAbiVersion(guest);
            }

            guest.AttachHeap(new GuestHeap(guest, contract, maxMemoryBytes));
            limits.EndLoad();
            return guest;
        }
        catch (Exception ex)
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

            if (ex is WasmtimeException wasmtime)
            {
                // Whatever the mapping above did not foresee still surfaces in the library's family.
                throw new WasmSharedMemoryException($"The WebAssembly module could not be loaded: {Sentence(wasmtime.Message)}", wasmtime);
            }

            throw;
        }
    }

    /// <summary>The module's exported 32-bit memory <c>memory</c>.</summary>
    /// <exception cref="WasmContractException">It exports none, or a 64-bit one.</exception>
    private static ExportedMemory ExportedMemoryOf(Module module, Instance instance)
    {
        Memory memory = instance.GetMemory("memory")
            ?? throw new WasmContractException($"The module does not export its linear memory as 'memory'. It exports: {ExportSignatures.ListExports(module)}.");
        if (memory.Is64Bit)
        {
            throw new WasmContractException("The module's memory 'memory' is 64-bit; the library supports 32-bit linear memory.");
        }

        return new ExportedMemory(memory);
    }

    /// <summary>Checks that a memory limit leaves room for the module's initial memory and is no more than 4 GiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It does not.</exception>
    internal static void CheckMaxMemory(long? maxMemoryBytes, long initialBytes)
    {
        if (maxMemoryBytes is { } max && (max < initialBytes || max > 1L << 32))
        {
            throw new ArgumentOutOfRangeException("options", max, $"MaxMemoryBytes must lie between the module's initial memory of {initialBytes} bytes and 4 GiB.");
        }
    }

    /// <summary>The initial size of the module's memory, exported or imported as <c>memory</c>, in bytes; 0 if it has none.</summary>
    internal static long InitialMemoryBytes(Module module) =>
        module.Exports.OfType<MemoryExport>().Where(e => e.Name == "memory").Select(e => e.Minimum * Memory.PageSize)
            .Concat(module.Imports.OfType<MemoryImport>().Where(i => i.Name == "memory").Select(i => i.Minimum * Memory.PageSize))
            .FirstOrDefault();

    /// <summary>Instantiates <paramref name="module"/>, running its start function under the armed limits, and maps every failure to the library's exceptions.</summary>
    private static Instance Instantiate(Engine engine, Store store, Module module, WasmHostOptions? options, CallLimits limits, HostCallScope scope, SharedLinearMemory? sharedMemory)
    {
        Linker? linker = null;
        try
        {
            if (sharedMemory is not null)
            {
                // The shared kernel module imports its memory and nothing else.
                linker = new Linker(engine);
                sharedMemory.DefineIn(linker, store);
            }
            else if (module.Imports.Count > 0)
            {
                linker = Link(engine, store, module, options, scope);
            }

            Instance instance;
            try
            {
                instance = linker is null ? new Instance(store, module) : linker.Instantiate(store, module);
                limits.CheckReturnedInTime();
            }
            catch (WasmtimeException ex)
            {
                throw InstantiationFailed(ex, limits);
            }

            return instance;
        }
        finally
        {
            linker?.Dispose();
        }
    }

    /// <summary>A linker with the module's imports: host functions from the options or the built-in ones, and WASI preview 1 if it imports it.</summary>
    private static Linker Link(Engine engine, Store store, Module module, WasmHostOptions? options, HostCallScope scope)
    {
        var linker = new Linker(engine);
        try
        {
            ImportBinder.Define(linker, module, options?.Imports, scope, skipModule: WasiModule);
            if (module.Imports.Any(i => i.ModuleName == WasiModule))
            {
                ConfigureWasi(store, options);
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

    /// <summary>Gives the store WASI with what <paramref name="options"/> grants, naming a grant Wasmtime cannot honor.</summary>
    private static void ConfigureWasi(Store store, WasmHostOptions? options)
    {
        foreach (var directory in options?.PreopenedDirectories ?? new Dictionary<string, string>())
        {
            if (!Directory.Exists(directory.Value))
            {
                throw new WasmSharedMemoryException(
                    $"The host directory '{directory.Value}', granted to the module as '{directory.Key}' in WasmHostOptions.PreopenedDirectories, does not exist.",
                    new DirectoryNotFoundException(directory.Value));
            }
        }

        try
        {
            store.SetWasiConfiguration(WasiFrom(options));
        }
        catch (Exception ex) when (ex is InvalidOperationException or WasmtimeException or ArgumentException)
        {
            // Wasmtime refuses what the check above cannot see: a directory this process cannot open, for example.
            throw new WasmSharedMemoryException($"Wasmtime refused the WASI configuration from WasmHostOptions: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Maps a failed instantiation: guest code that trapped, timed out or was canceled, or a host function it called
    /// that threw; memory that could not be had (limits, address space); or imports Wasmtime could not satisfy.
    /// </summary>
    private static Exception InstantiationFailed(WasmtimeException exception, CallLimits limits)
    {
        string message = exception.Message;
        // A trap, a limit's stop (the epoch callback's exception), or a host function the start function called that threw.
        if (exception is TrapException || exception.InnerException is not null)
        {
            return limits.FailedLoading(exception);
        }

        if (IsOutOfMemory(message))
        {
            string why = message.IndexOf("limits", StringComparison.Ordinal) >= 0
                ? "its memory or a table needs more than the limits allow (WasmHostOptions.MaxMemoryBytes)."
                : message.IndexOf("reserve", StringComparison.Ordinal) >= 0 || message.IndexOf("mmap", StringComparison.Ordinal) >= 0
                ? "the process is out of address space for its linear memory. Each live module reserves 4 GiB, so a 64-bit Linux process " +
                  "holds about 32,000 modules at once (fewer where ulimit -v or vm.max_map_count is lower); dispose modules you no longer need."
                : "the process could not allocate the memory it declares (a table or memory of that size).";
            return new WasmOutOfMemoryException(RequestedBytes(message), $"The WebAssembly module could not be instantiated: {why} Wasmtime: {Sentence(message)}", exception);
        }

        string hint = message.IndexOf(WasiModule, StringComparison.Ordinal) >= 0
            ? $" The host defines WASI preview 1 ({WasiModule}) functions only, each with its standard signature."
            : message.IndexOf("shared memory", StringComparison.Ordinal) >= 0
            ? " The library works with unshared linear memory only."
            : string.Empty;
        return new WasmContractException($"The module cannot be instantiated on this host: {Sentence(message)}{hint}", exception);
    }

    private static string Sentence(string message)
    {
        message = message.TrimEnd();
        return message.EndsWith(".", StringComparison.Ordinal) ? message : message + ".";
    }

    private static bool IsOutOfMemory(string message) =>
        Array.Exists(s_outOfMemory, m => message.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0);

    /// <summary>The bytes Wasmtime says it could not have ("failed to reserve 0x104000000 bytes", "minimum size of 100 pages"), or 0.</summary>
    private static long RequestedBytes(string message)
    {
        Match match = Regex.Match(message, @"(0x[0-9a-fA-F]+|\d+) (bytes|pages)");
        if (!match.Success)
        {
            return 0;
        }

        string number = match.Groups[1].Value;
        bool hex = number.StartsWith("0x", StringComparison.Ordinal);
        if (!long.TryParse(hex ? number.Substring(2) : number, hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return 0;
        }

        return match.Groups[2].Value == "pages" ? value * Memory.PageSize : value;
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
