using System;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>
/// <see cref="InstanceOptions.MaxMemoryBytes"/> checked against one module, and the one translation of it into what
/// Wasmtime enforces: store limits for a memory the module exports, a declared maximum for a shared memory.
/// </summary>
internal readonly struct MemoryLimit
{
    private const long AddressSpace = 1L << 32;

    private MemoryLimit(long? maxBytes, long initialBytes) => (MaxBytes, InitialBytes) = (maxBytes, initialBytes);

    /// <summary>Gets the most bytes linear memory may grow to, or null for the 4 GiB a 32-bit memory can address.</summary>
    public long? MaxBytes { get; }

    /// <summary>Gets the initial size of the module's memory, exported or imported as <c>memory</c>, in bytes; 0 if it has none.</summary>
    public long InitialBytes { get; }

    /// <summary>Gets the initial size in whole 64 KiB pages.</summary>
    public ulong InitialPages => (ulong)InitialBytes / (ulong)Memory.PageSize;

    /// <summary>Gets the limit in whole pages, never above it: a shared memory's maximum is all that bounds its growth.</summary>
    public ulong MaxPages => (ulong)(MaxBytes ?? AddressSpace) / (ulong)Memory.PageSize;

    /// <summary>Reads the limit from <paramref name="options"/> and checks it against <paramref name="module"/>'s memory: its export <paramref name="memoryExport"/>, else the memory it imports.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is below the module's initial memory or above 4 GiB.</exception>
    public static MemoryLimit For(Module module, InstanceOptions? options, string? memoryExport = ExportedMemory.ConventionalName)
    {
        long initial = InitialMemoryBytes(module, memoryExport);
        long? max = options?.MaxMemoryBytes;
        if (max is { } bytes && (bytes < initial || bytes > AddressSpace))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), bytes, $"MaxMemoryBytes must lie between the module's initial memory of {initial} bytes and 4 GiB.");
        }

        return new MemoryLimit(max, initial);
    }

    /// <summary>Sets the store's limits, which govern a memory the module exports (not a shared one).</summary>
    public void ApplyTo(Store store)
    {
        if (MaxBytes is not null)
        {
            store.SetLimits(memorySize: MaxBytes);
        }
    }

    private static long InitialMemoryBytes(Module module, string? memoryExport) =>
        module.Exports.OfType<MemoryExport>().Where(e => e.Name == memoryExport).Select(e => e.Minimum * Memory.PageSize)
            .Concat(module.Imports.OfType<MemoryImport>().Select(i => i.Minimum * Memory.PageSize))
            .FirstOrDefault();
}
