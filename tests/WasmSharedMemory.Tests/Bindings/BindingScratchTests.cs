using System;
using System.IO;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>
/// Where a binding's out/ref/in values live: at the alignment each type needs, requested at no more than the
/// allocator contract guarantees, in one region per export that every binding of the host shares.
/// </summary>
public sealed class BindingScratchTests : LeakCheckedTests
{
    private static string MallocEightText => File.ReadAllText(ToolchainModules.Path("malloc8.wat"));

    [Fact]
    public void OutUInt_EightAlignedMalloc_Works()
    {
        using WasmHost host = Track(WasmHost.FromText(MallocEightText, AllocatorContract.CMalloc));
        var binding = new MallocEight(host);

        binding.Answer(out uint value);

        Assert.Equal(42u, value);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void RefPair_EightAlignedMalloc_IsPlacedAtItsOwnAlignment()
    {
        using WasmHost host = Track(WasmHost.FromText(MallocEightText, AllocatorContract.CMalloc));
        var binding = new MallocEight(host);
        var pair = new Pair { A = 1, B = 21 };

        binding.BumpPair(ref pair); // traps unless 8-aligned

        Assert.Equal(2, pair.A);
        Assert.Equal(42, pair.B);
    }

    [Fact]
    public void OutInt128_EightAlignedMalloc_IsPaddedToSixteen()
    {
        using WasmHost host = Track(WasmHost.FromText(MallocEightText, AllocatorContract.CMalloc));
        var binding = new MallocEight(host);

        binding.Wide(out Int128 value); // traps unless 16-aligned

        Assert.Equal(((Int128)1 << 64) | 7, value);
    }

    /// <summary>The same module with its heap starting 16-aligned, so every block is (as the bump allocators of other tests).</summary>
    private static string MallocSixteenText => MallocEightText.Replace("(global $next (mut i32) (i32.const 1032))", "(global $next (mut i32) (i32.const 1024))");

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Constructions_FiveThousandOnOneHostUnderTwoMiB_AllocateScratchOnce(int blockAlignment)
    {
        string text = blockAlignment == 8 ? MallocEightText : MallocSixteenText;
        using WasmHost host = Track(WasmHost.FromText(text, AllocatorContract.CMalloc, new WasmHostOptions { MaxMemoryBytes = 2 << 20 }));
        var mallocs = host.GetFunction<int>("malloc_count");
        long memoryBefore = host.Memory.Length;

        for (int i = 0; i < 5000; i++)
        {
            var binding = new MallocEight(host);
            binding.FillBlock(out Block512 block);
            Assert.Equal(63, block[63]);
        }

        // One region per export with scratch values, allocated by the first binding; none by the other 4,999.
        Assert.Equal(4, host.Guest.Heap.ScratchRegions);
        Assert.Equal(4, mallocs());
        Assert.Equal(memoryBefore, host.Memory.Length);
        Assert.Equal(0, host.LiveBuffers);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Constructions_FiveThousandLeasesOfAWhenCleanPool_Work(int blockAlignment)
    {
        using WasmModule module = WasmModule.FromText(blockAlignment == 8 ? MallocEightText : MallocSixteenText);
        using var pool = new WasmHostPool(module, 1, new WasmHostOptions { MaxMemoryBytes = 2 << 20 }, WasmHostReuse.WhenClean);

        for (int i = 0; i < 5000; i++)
        {
            using WasmHostLease lease = pool.Rent();
            var binding = new MallocEight(lease.Host);
            binding.FillBlock(out Block512 block);
            Assert.Equal(7, block[7]);
        }
    }

    [Fact]
    public void Bindings_OfOneExportOnTwoHosts_EachGetTheirHostsRegion()
    {
        using WasmHost first = Track(WasmHost.FromText(MallocEightText, AllocatorContract.CMalloc));
        using WasmHost second = Track(WasmHost.FromText(MallocEightText, AllocatorContract.CMalloc));

        new MallocEight(first).Answer(out uint one);
        new MallocEight(second).Answer(out uint two);

        Assert.Equal(42u, one);
        Assert.Equal(42u, two);
        Assert.Equal(4, first.Guest.Heap.ScratchRegions);
        Assert.Equal(4, second.Guest.Heap.ScratchRegions);
    }
}
