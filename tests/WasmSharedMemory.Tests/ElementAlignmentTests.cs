using System;
using System.Runtime.Intrinsics;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Blocks are requested, and their addresses checked, at the element type's alignment: at least the runtime's
/// own (32 for <see cref="Vector256{T}"/>, 64 for <see cref="Vector512{T}"/>), which .NET does not expose for
/// generic structs and <see cref="ElementLayout{T}"/> measures.
/// </summary>
public sealed class ElementAlignmentTests : LeakCheckedTests
{
    [Fact]
    public void Alignment_OfEachElementType_IsAtLeastTheRuntimes()
    {
        Assert.Equal(1, ElementLayout<byte>.Alignment);
        Assert.Equal(4, ElementLayout<Vector3>.Alignment);
        Assert.Equal(8, ElementLayout<double>.Alignment);
        Assert.Equal(16, ElementLayout<Vector128<float>>.Alignment);
        Assert.Equal(16, ElementLayout<EightFloats>.Alignment); // size 32, alignment 4: the power of two dividing the size, capped at 16, as before
        Assert.Equal(32, ElementLayout<Vector256<float>>.Alignment);
        Assert.Equal(32, ElementLayout<Vector256<byte>>.Alignment);
        Assert.Equal(32, ElementLayout<TwoVector256>.Alignment);
        Assert.Equal(64, ElementLayout<Vector512<double>>.Alignment);
    }

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void Allocate_Vector256AndVector512_GetsBlocksAlignedTo32And64(ModuleVariant variant)
    {
        using ISharedMemoryModule module = Load(variant);
        for (int i = 1; i <= 20; i++)
        {
            using WasmBuffer<byte> odd = module.Allocate<byte>(i * 7); // shifts the allocator's next free byte
            using WasmBuffer<Vector256<float>> v256 = module.Allocate<Vector256<float>>(i);
            using WasmBuffer<Vector512<double>> v512 = module.Allocate<Vector512<double>>(i);

            Assert.Equal(0u, v256.Address % 32);
            Assert.Equal(0u, v512.Address % 64);
            v512.Span.Fill(Vector512.Create((double)i));
            Assert.Equal(Vector512.Create((double)i), v512.ToArray()[^1]);
        }

        using WasmBuffer<Vector512<double>> empty = module.Allocate<Vector512<double>>(0);
        Assert.Equal(0u, empty.Address % 64);
    }

    [Fact]
    public void Allocate_AllocatorReturning16ButNot32Aligned_IsRefusedForVector256()
    {
        using var module = Track(TestModules.LoadText(TestModules.ScriptedAllocator));
        Wasmtime.Global result = module.Guest.Instance.GetGlobal("result")!;

        result.SetValue(1056); // 32-aligned
        using (WasmBuffer<Vector256<int>> aligned = module.Allocate<Vector256<int>>(1))
        {
            Assert.Equal(1056u, aligned.Address);
        }

        result.SetValue(2064); // 16-aligned, not 32
        var ex = Assert.Throws<WasmContractException>(() => module.Allocate<Vector256<int>>(1));
        Assert.Contains("not aligned to 32 bytes", ex.Message);
    }

    private struct EightFloats
    {
#pragma warning disable CS0649 // only the layout matters
        public float A, B, C, D, E, F, G, H;
#pragma warning restore CS0649
    }

    private struct TwoVector256
    {
#pragma warning disable CS0649
        public Vector256<float> First, Second;
#pragma warning restore CS0649
    }
}
