using System;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>
/// How a binding lays out the scratch values of one export's <see langword="out"/>, <see langword="ref"/> and
/// <see langword="in"/> parameters: in parameter order, each at the alignment its type needs (the runtime's own, as a
/// field of a struct would be placed, capped at 16). The builder sizes a region with it and every call walks the same
/// steps, so both agree on each value's offset.
/// </summary>
internal static class ScratchLayout
{
    /// <summary>The largest alignment a scratch value is placed at.</summary>
    public const int MaxAlignment = 16;

    /// <summary>Gets the alignment a scratch value of type <typeparamref name="T"/> is placed at.</summary>
    public static int AlignmentOf<T>()
        where T : unmanaged => Math.Min(ElementLayout<T>.NaturalAlignment, MaxAlignment);

    /// <summary>Returns the offset of the next <typeparamref name="T"/> at or after <paramref name="cursor"/> and moves the cursor past it.</summary>
    public static int Next<T>(ref int cursor)
        where T : unmanaged
    {
        int alignment = AlignmentOf<T>();
        int offset = (cursor + alignment - 1) & -alignment;
        cursor = offset + ElementLayout<T>.Size;
        return offset;
    }
}
