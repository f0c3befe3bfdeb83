using System;
using System.Linq;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Imports;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>
/// The one path from a compiled module to a running <see cref="GuestInstance"/>, for hosts, kernel modules and a
/// parallel module's workers alike: the store and its limits, linear memory, the imports, instantiation (a start
/// function runs inside it), a reactor's initialization, the ABI check and the heap.
/// </summary>
internal static class Instantiation
{
    /// <summary>Instantiates <see cref="GuestSpec.Module"/> as <paramref name="spec"/> describes, under the call limits for the whole load.</summary>
    /// <returns>An instance the caller owns; it owns its store and its reference to linear memory.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="WasmSharedMemoryException">
    /// The module could not be instantiated: a trap, a limit's stop, an import nothing satisfies, memory that could not
    /// be had, a missing or 64-bit memory export, a broken allocator contract (each its own subclass, see <see cref="InstantiationFailure"/>).
    /// </exception>
    public static GuestInstance Instantiate(in GuestSpec spec)
    {
        var hostOptions = spec.Options as WasmHostOptions;
        if (hostOptions?.CallTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("options", timeout, "CallTimeout must be positive.");
        }

        string? memoryExport = spec.Memory == GuestMemoryKind.Shared ? null : ExportedMemory.ExportName(spec.Module, hostOptions?.MemoryExport);
        MemoryLimit limit = MemoryLimit.For(spec.Module, spec.Options, memoryExport);
        SharedLinearMemory? shared = spec.Memory == GuestMemoryKind.Shared
            ? spec.Join?.Share() ?? SharedLinearMemory.Create(spec.Engine, limit.InitialPages, limit.MaxPages)
            : null;
        try
        {
            return Load(spec, hostOptions, limit, shared, memoryExport);
        }
        catch when (shared is not null)
        {
            // Disposing twice is harmless: the instance may already have released its reference.
            shared.Dispose();
            throw;
        }
    }

    private static GuestInstance Load(in GuestSpec spec, WasmHostOptions? hostOptions, MemoryLimit limit, SharedLinearMemory? shared, string? memoryExport)
    {
        Engine engine = spec.Engine;
        var store = new Store(engine);
        GuestInstance? guest = null;
        bool ticking = false;
        try
        {
            if (shared is null)
            {
                limit.ApplyTo(store);
            }

            var limits = new CallLimits(store, spec.Interruptible, hostOptions);
            if (spec.Interruptible)
            {
                // Before instantiation, so a start function's time limit is enforced.
                EpochTicker.Attach(engine);
                ticking = true;
            }

            // Every piece of guest code from here to EndLoad (a start function inside the instantiation, the ABI
            // check, any initialization call) runs under CallTimeout, FuelPerCall and the load's token.
            limits.BeginLoad(hostOptions?.LoadCancellationToken ?? CancellationToken.None);
            var scope = new HostCallScope();
            Linker? linker = ImportLinker.Create(engine, store, spec.Module, hostOptions, scope, shared, limits, out Memory? imported);
            Instance instance = Link(spec.Module, store, linker, limits);
            LinearMemory memory = (LinearMemory?)shared ?? ExportedMemory.Of(spec.Module, instance, memoryExport, imported);
            guest = new GuestInstance(store, spec.Module, instance, memory, limits, spec.Interruptible ? engine : null, spec.Owner);
            guest.Growth = new MemoryGrowth(limit.MaxBytes, memory.DeclaredMaximumPages);
            ticking = false; // the instance detaches when disposed
            scope.Attach(guest);
            if (shared is null && spec.Module.Imports.Any(i => i.ModuleName == ImportLinker.WasiModule))
            {
                guest.Descriptors = new Wasi.DescriptorCensus(engine, store, limit.MaxBytes);
            }

            // A worker joins memory another instance already set up: it runs no initialization and allocates nothing.
            if (spec.Contract is { } contract)
            {
                ReactorInitializer.RunIfExported(guest);
                if (contract == AllocatorContract.WasmSharedMemory)
                {
                    CheckAbiVersion(guest);
                }

                guest.AttachHeap(new GuestHeap(guest, contract));
            }

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
                // Whatever the mapping did not foresee still surfaces in the library's family.
                throw InstantiationFailure.Unforeseen(wasmtime);
            }

            throw;
        }
    }

    /// <summary>Instantiates the module with <paramref name="linker"/> (disposed here unless shared), or alone when it imports nothing; maps every failure.</summary>
    private static Instance Link(Module module, Store store, Linker? linker, CallLimits limits)
    {
        try
        {
            Instance instance = linker is null ? new Instance(store, module) : linker.Instantiate(store, module);
            limits.CheckReturnedInTime();
            return instance;
        }
        catch (WasmtimeException ex)
        {
            throw InstantiationFailure.Map(ex, limits);
        }
        finally
        {
            if (linker is not null && !ImportLinker.IsShared(linker))
            {
                linker.Dispose();
            }
        }
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
