using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests;

/// <summary>
/// In the blog's JavaScript every memory.grow detaches existing typed-array views. Here linear memory never
/// moves, so buffers and spans taken before growth stay valid through it.
/// </summary>
public sealed class MemoryGrowthTests : LeakCheckedTests
{
    [Theory]
    [InlineData(ModuleVariant.Simd, 1)]
    [InlineData(ModuleVariant.Scalar, 1)]
    [InlineData(ModuleVariant.Simd, 2)]
    [InlineData(ModuleVariant.Scalar, 2)]
    public unsafe void Spans_TakenBeforeMemoryGrowsManyTimes_StillHoldTheirData(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
        using WasmBuffer<int> first = module.Allocate<int>(1024);
        Span<int> early = first.Span;
        for (int i = 0; i < early.Length; i++) early[i] = i * 31;
        byte* baseBefore = ((Internals.KernelModule)module).Guest.Base;

        var sizes = new HashSet<long> { module.MemoryBytes };
        var grown = new List<WasmBuffer<long>>();
        try
        {
            for (int block = 0; block < 48; block++)
            {
                WasmBuffer<long> buffer = module.Allocate<long>(512 * 1024); // 4 MiB each
                buffer.Span.Fill(block);
                grown.Add(buffer);
                sizes.Add(module.MemoryBytes);
            }

            Assert.True(sizes.Count >= 20, $"memory grew only {sizes.Count - 1} times");
            Assert.True(module.MemoryBytes > 190L << 20);
            Assert.Equal((IntPtr)baseBefore, (IntPtr)((Internals.KernelModule)module).Guest.Base);
            // Asks Wasmtime where the memory is now: the exported memory's pointer, or the shared memory's data.
            Assert.False(((Internals.KernelModule)module).Guest.Memory.HasMoved);
            if (parallelism == 1)
            {
                Assert.Equal((IntPtr)baseBefore, ((Internals.KernelModule)module).Guest.Instance.GetMemory("memory")!.GetPointer());
            }

            for (int i = 0; i < early.Length; i++)
            {
                Assert.Equal(i * 31, early[i]);
            }

            early[5] = -5;
            Assert.Equal(-5, first.ToArray()[5]);
            for (int block = 0; block < grown.Count; block++)
            {
                Assert.True(grown[block].Span.IndexOfAnyExcept((long)block) < 0, $"block {block} was clobbered");
            }
        }
        finally
        {
            grown.ForEach(buffer => buffer.Dispose());
        }
    }
}
