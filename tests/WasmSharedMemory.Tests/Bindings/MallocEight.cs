using System;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>Sixty-four longs, a scratch value large enough that keeping one per binding construction would show.</summary>
public struct Block512
{
    public Block64 A, B, C, D, E, F, G, H;

    public readonly long this[int index] => (index / 8) switch
    {
        0 => A[index % 8], 1 => B[index % 8], 2 => C[index % 8], 3 => D[index % 8],
        4 => E[index % 8], 5 => F[index % 8], 6 => G[index % 8], _ => H[index % 8],
    };
}

/// <summary>Eight longs.</summary>
public struct Block64
{
    public long A, B, C, D, E, F, G, H;

    public readonly long this[int index] => index switch { 0 => A, 1 => B, 2 => C, 3 => D, 4 => E, 5 => F, 6 => G, _ => H };
}

/// <summary>Bound to Modules/malloc8.wat, whose <c>malloc</c> returns 8-aligned blocks only.</summary>
[WasmModule]
public sealed partial class MallocEight
{
    [WasmExport("answer")]
    public partial void Answer(out uint value);

    [WasmExport("bump_pair")]
    public partial void BumpPair(ref Pair pair);

    [WasmExport("wide")]
    public partial void Wide(out Int128 value);

    [WasmExport("fill_block")]
    public partial void FillBlock(out Block512 block);
}
