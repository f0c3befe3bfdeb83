using System;
using WasmSharedMemory.Internals.Parallel;

namespace WasmSharedMemory.Tests;

/// <summary>How a split reduction adds its chunk sums: left to right from zero, in the row's own result type.</summary>
public sealed unsafe class ChunkSumScratchTests : LeakCheckedTests
{
    [Fact]
    public void SumLeftToRight_OfFloats_AddsInFloatFromPositiveZero_NotInDouble()
    {
        // In float, 2^24 + 1 rounds back to 2^24 twice; a sum in double would keep both ones.
        float[] sums = { 16777216f, 1f, 1f, -16777216f };

        Assert.Equal(0f, Sum(sums));
        Assert.Equal(0, BitConverter.SingleToInt32Bits(Sum(new[] { -0f, -0f })));
    }

    [Fact]
    public void SumLeftToRight_OfLongs_WrapsExactlyInsteadOfRoundingThroughDouble()
    {
        long[] sums = { long.MaxValue, 1, (1L << 53) + 1 };

        Assert.Equal(unchecked(long.MinValue + (1L << 53) + 1), Sum(sums));
    }

    [Fact]
    public void SumLeftToRight_OfInts_Wraps()
    {
        Assert.Equal(int.MinValue, Sum(new[] { int.MaxValue, 1 }));
    }

    [Fact]
    public void SumLeftToRight_OfATypeItCannotAdd_Throws()
    {
        Assert.Throws<NotSupportedException>(() => Sum(new short[] { 1, 2 }));
    }

    [Fact]
    public void Holds_CountsTheBytesBetweenTheStartAndHeapBase()
    {
        var scratch = new ChunkSumScratch(heapBase: ChunkSumScratch.Start + 64);

        Assert.True(scratch.Holds(16, sizeof(float)));
        Assert.False(scratch.Holds(17, sizeof(float)));
        Assert.True(scratch.Holds(8, sizeof(double)));
        Assert.False(new ChunkSumScratch(heapBase: 0).Holds(1, sizeof(float)));
    }

    private static T Sum<T>(T[] sums)
        where T : unmanaged
    {
        fixed (T* first = sums)
        {
            // The scratch reads from memory base + Start.
            return ChunkSumScratch.SumLeftToRight<T>((byte*)first - ChunkSumScratch.Start, sums.Length);
        }
    }
}
