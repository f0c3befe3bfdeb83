using System;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>
/// How a binding lays out the scratch values of one export's <see langword="out"/>, <see langword="ref"/> and
/// <see langword="in"/> parameters: in parameter order, each aligned for its type. The builder sizes a region
/// with it and every call walks the same steps, so both agree on each value's offset.
/// </summary>
internal static class ScratchLayout
{
    /// <summary>The largest alignment a region's start is guaranteed.</summary>
    public const int RegionAlignment = 16;

    /// <summary>Returns the offset of the next <typeparamref name="T"/> at or after <paramref name="cursor"/> and moves the cursor past it.</summary>
    public static int Next<T>(ref int cursor)
        where T : unmanaged
    {
        int alignment = Math.Min(ElementLayout<T>.Alignment, RegionAlignment);
        int offset = (cursor + alignment - 1) & -alignment;
        cursor = offset + ElementLayout<T>.Size;
        return offset;
    }

    /// <summary>Rounds <paramref name="bytes"/> up to a multiple of <see cref="RegionAlignment"/>.</summary>
    public static int Round(int bytes) => (bytes + RegionAlignment - 1) & -RegionAlignment;
}
