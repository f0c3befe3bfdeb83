namespace WasmSharedMemory.Internals;

/// <summary>Size and the alignment to request from the guest for an element type.</summary>
internal static unsafe class ElementLayout<T>
    where T : unmanaged
{
    /// <summary>The element size in bytes.</summary>
    public static readonly int Size = sizeof(T);

    /// <summary>
    /// The runtime's own alignment of <typeparamref name="T"/>, which .NET does not expose for generic structs: the
    /// offset at which it places a <typeparamref name="T"/> that follows one byte. 32 for <c>Vector256&lt;T&gt;</c>, 64 for
    /// <c>Vector512&lt;T&gt;</c> and structs that hold them.
    /// </summary>
    public static readonly int NaturalAlignment = sizeof(AfterOneByte) - sizeof(T);

    /// <summary>
    /// The alignment requested for a block and checked on the address the guest returns: the largest power of two
    /// dividing the size, capped at 16 (never less than the natural alignment up to there, since an alignment
    /// divides the size), raised to the natural alignment where that is larger.
    /// </summary>
    public static readonly int Alignment = System.Math.Max(System.Math.Min(16, Size & -Size), NaturalAlignment);

    private struct AfterOneByte
    {
#pragma warning disable CS0649 // never assigned: only its layout is read
        public byte Byte;
        public T Value;
#pragma warning restore CS0649
    }
}
