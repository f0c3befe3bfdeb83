namespace WasmSharedMemory;

/// <summary>Limits applied to one loaded module.</summary>
public sealed class SharedMemoryOptions
{
    /// <summary>
    /// Gets or sets the most bytes the module's linear memory may grow to, or <see langword="null"/> for the
    /// WebAssembly maximum of 4 GiB.
    /// </summary>
    /// <remarks>
    /// Enforced by Wasmtime's store limits: an allocation that would grow memory past it throws
    /// <see cref="WasmOutOfMemoryException"/> and leaves the module usable.
    /// </remarks>
    public long? MaxMemoryBytes { get; set; }
}
