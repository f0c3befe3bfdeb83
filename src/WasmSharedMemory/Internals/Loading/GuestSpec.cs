using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>
/// Everything <see cref="Instantiation.Instantiate"/> needs to make one instance of a compiled module: the engine and
/// module, the options (limits; for a host also imports, WASI grants and time limits), where linear memory comes from,
/// and the allocator contract its heap uses.
/// </summary>
/// <remarks>
/// Hosts, kernel modules and the extra instances of a parallel kernel module all instantiate from one of these, so a
/// compiled module instantiated many times (one <see cref="Module"/>, many specs) takes the same path as a one-off load.
/// </remarks>
internal readonly struct GuestSpec
{
    /// <summary>The name a disposed <see cref="WasmHost"/> is reported by.</summary>
    public const string HostOwner = nameof(WasmHost);

    /// <summary>The name a disposed kernel module is reported by: the interface its users hold.</summary>
    public const string KernelOwner = nameof(ISharedMemoryModule);

    /// <summary>Describes an instance; see the properties.</summary>
    public GuestSpec(Engine engine, Module module, AllocatorContract? contract, InstanceOptions? options, bool interruptible, string owner, GuestMemoryKind memory, SharedLinearMemory? join = null)
    {
        (Engine, Module, Contract, Options, Interruptible, Owner, Memory, Join) = (engine, module, contract, options, interruptible, owner, memory, join);
    }

    /// <summary>Gets the engine <see cref="Module"/> was compiled for.</summary>
    public Engine Engine { get; }

    /// <summary>Gets the compiled module; not owned: the caller disposes it after every instance of it.</summary>
    public Module Module { get; }

    /// <summary>Gets the allocator the heap binds (resolved: detection happens before), or null for an instance with no heap, as a parallel module's workers are.</summary>
    public AllocatorContract? Contract { get; }

    /// <summary>Gets the limits; a <see cref="WasmHostOptions"/> also brings imports, WASI grants, time limits and the load's token.</summary>
    public InstanceOptions? Options { get; }

    /// <summary>Gets a value indicating whether <see cref="Engine"/> has epoch interruption, so time limits and cancellation work.</summary>
    public bool Interruptible { get; }

    /// <summary>Gets the name the instance's owner is reported by once disposed (<see cref="HostOwner"/> or <see cref="KernelOwner"/>).</summary>
    public string Owner { get; }

    /// <summary>Gets where linear memory comes from.</summary>
    public GuestMemoryKind Memory { get; }

    /// <summary>Gets, for <see cref="GuestMemoryKind.Shared"/>, the shared memory to join, or null to create one bounded by the options' limit.</summary>
    public SharedLinearMemory? Join { get; }

    /// <summary>A user's module on a host engine: its own exported memory, its imports and WASI from <paramref name="options"/>.</summary>
    public static GuestSpec ForHost(Engine engine, Module module, AllocatorContract contract, WasmHostOptions? options, bool interruptible) =>
        new(engine, module, contract, options, interruptible, HostOwner, GuestMemoryKind.Exported);

    /// <summary>The kernel module on the kernel engine (no epoch interruption), over its own memory or a new shared one.</summary>
    public static GuestSpec ForKernels(Engine engine, Module module, SharedMemoryOptions? options, bool shared) =>
        new(engine, module, AllocatorContract.WasmSharedMemory, options, interruptible: false, KernelOwner, shared ? GuestMemoryKind.Shared : GuestMemoryKind.Exported);

    /// <summary>Another instance of a parallel kernel module over <paramref name="memory"/>: no heap, only kernels to run.</summary>
    public static GuestSpec ForWorker(Engine engine, Module module, SharedLinearMemory memory) =>
        new(engine, module, contract: null, options: null, interruptible: false, KernelOwner, GuestMemoryKind.Shared, memory);
}
