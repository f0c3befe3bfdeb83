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

    /// <summary>Releases what the library holds of the memory; called after the store that used it is disposed.</summary>
    public abstract void Dispose();
}
