namespace WasmSharedMemory;

/// <summary>
/// The limits every loaded module shares, whether it is a <see cref="WasmHost"/> (<see cref="WasmHostOptions"/>) or the
/// kernel module (<see cref="SharedMemoryOptions"/>): set once here, checked and enforced by one load path.
/// </summary>
public abstract class InstanceOptions
{
    /// <summary>Initializes the limits to none; only this library's option types derive from this one.</summary>
    private protected InstanceOptions()
    {
    }

    /// <summary>
    /// Gets or sets the most bytes the module's linear memory may grow to, or <see langword="null"/> for the
    /// WebAssembly maximum of 4 GiB. It must lie between the module's initial memory and 4 GiB, or loading throws
    /// <see cref="System.ArgumentOutOfRangeException"/>.
    /// </summary>
    /// <remarks>
    /// Enforced by Wasmtime's store limits, or, for a kernel module with <see cref="SharedMemoryOptions.Parallelism"/>
    /// above 1, as the shared memory's declared maximum in whole 64 KiB pages (store limits do not govern a shared
    /// memory). Either way growth past it fails inside the guest: an allocation that would need it throws
    /// <see cref="WasmOutOfMemoryException"/> and leaves the module usable.
    /// </remarks>
    public long? MaxMemoryBytes { get; set; }
}
