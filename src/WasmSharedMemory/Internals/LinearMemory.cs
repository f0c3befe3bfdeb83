using System;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The linear memory a <see cref="GuestInstance"/> hands out buffers in: the module's exported memory, or a
/// shared memory every instance of a parallel module imports. Either way the engine never moves it.
/// </summary>
internal abstract unsafe class LinearMemory : IDisposable
{
    /// <summary>Gets the base address, fixed for the memory's life.</summary>
    public abstract byte* Base { get; }

    /// <summary>Gets the current size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Gets a value indicating whether the memory left <see cref="Base"/>, which the engine forbids.</summary>
    public abstract bool HasMoved { get; }

    /// <summary>Gets the most pages the memory's own type lets it grow to, or null when it declares no maximum.</summary>
    public abstract long? DeclaredMaximumPages { get; }

    /// <summary>
    /// Grows the memory by <paramref name="pages"/> 64 KiB pages as <c>memory.grow</c> does: returns the previous size in
    /// pages, or -1 when it cannot grow that far (the store's limit, the declared maximum, 4 GiB). Only under the instance's gate.
    /// </summary>
    public abstract long Grow(long pages);

    /// <summary>Releases what the library holds of the memory; called after the store that used it is disposed.</summary>
    public abstract void Dispose();
}
