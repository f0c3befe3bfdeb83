namespace WasmSharedMemory.Internals;

/// <summary>Size and the alignment to request from the guest for an element type.</summary>
internal static unsafe class ElementLayout<T>
    where T : unmanaged
{
    /// <summary>The element size in bytes.</summary>
    public static readonly int Size = sizeof(T);

    /// <summary>
    /// The largest power of two dividing the size, capped at 16. A type's alignment always divides its size,
    /// so this is never less than the real alignment, which .NET does not expose for generic structs.
    /// </summary>
    public static readonly int Alignment = System.Math.Min(16, Size & -Size);
}
