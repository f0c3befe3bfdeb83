using System;

namespace WasmSharedMemory.Internals;

/// <summary>
/// What bounds one instance's linear memory (the <see cref="InstanceOptions.MaxMemoryBytes"/> limit, the maximum the
/// module's memory declares, the 4 GiB a 32-bit memory addresses) and the one wording of which of them stopped a growth,
/// for <see cref="GuestMemory.Grow"/> and for an allocation that returned 0.
/// </summary>
internal readonly struct MemoryGrowth
{
    private const long AddressSpace = 1L << 32;
    private const long PageSize = 65536;

    public MemoryGrowth(long? maxMemoryBytes, long? declaredMaximumPages) =>
        (MaxMemoryBytes, DeclaredMaximumBytes) = (maxMemoryBytes, declaredMaximumPages is { } pages ? Math.Min(pages * PageSize, AddressSpace) : null);

    /// <summary>Gets the host's limit, or null when none was set.</summary>
    public long? MaxMemoryBytes { get; }

    /// <summary>Gets the module's own declared maximum in bytes, or null when it declares none.</summary>
    public long? DeclaredMaximumBytes { get; }

    /// <summary>Gets the most the memory may grow to: the least of the host's limit, the declared maximum and 4 GiB.</summary>
    public long ReachBytes => Math.Min(Math.Min(MaxMemoryBytes ?? AddressSpace, DeclaredMaximumBytes ?? AddressSpace), AddressSpace);

    /// <summary>
    /// Names the bound that a memory of <paramref name="bytes"/> would pass, with what the user can do about it; null
    /// when it passes none (so something else, the allocator or the engine, stopped the growth).
    /// </summary>
    public string? Passed(long bytes)
    {
        if (MaxMemoryBytes is { } max && bytes > max)
        {
            return $"the {max}-byte MaxMemoryBytes limit: raise it, or dispose buffers you no longer need";
        }

        if (DeclaredMaximumBytes is { } declared && bytes > declared)
        {
            return $"the maximum of {declared} bytes ({declared / PageSize} pages) the module's memory declares, which the host cannot raise: dispose buffers you no longer need, or rebuild the module with a larger maximum";
        }

        return bytes > AddressSpace ? "the 4 GiB a 32-bit WebAssembly memory can address: dispose buffers you no longer need" : null;
    }

    /// <summary>Describes why growing from <paramref name="fromBytes"/> by <paramref name="pages"/> pages was refused.</summary>
    public string Refusal(long fromBytes, long pages)
    {
        long to = fromBytes + (pages * PageSize);
        return $"growing linear memory from {fromBytes} to {to} bytes would pass " +
            (Passed(to) ?? "no limit, but the engine could not commit the memory (the process is short of memory)");
    }
}
