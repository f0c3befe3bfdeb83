using System;
using System.Linq;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmHost.Adopt{T}"/>: a block the guest's allocator handed out becomes a buffer, checked like an
/// allocated one (a failed check throws and leaves the host usable) and freed through the contract on Dispose.
/// </summary>
public sealed class WasmHostAdoptTests : BufferOwnerTests
{
    /// <summary><c>make_ramp(n) -> ptr</c>: allocates <c>n</c> floats with the module's bump allocator and fills them with 0, 1, 2, ….</summary>
    private const string MakeRamp = """
        (func (export "make_ramp") (param $n i32) (result i32) (local $p i32) (local $i i32)
          (local.set $p (global.get $next))
          (global.set $next (i32.add (local.get $p) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 15)) (i32.const -16))))
          (block $done
            (loop $fill
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (f32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (f32.convert_i32_u (local.get $i)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $fill)))
          (local.get $p))
        (global $freed_ptr (export "freed_ptr") (mut i32) (i32.const 0))
        (global $freed_size (export "freed_size") (mut i32) (i32.const -1))
        (global $freed_align (export "freed_align") (mut i32) (i32.const -1))
        """;

    private const string RecordFree = """
        (global.set $frees (i32.add (global.get $frees) (i32.const 1)))
        (global.set $freed_ptr (local.get $ptr))
        """;

    private const string RecordSizedFree = RecordFree + """
        (global.set $freed_size (local.get $size))
        (global.set $freed_align (local.get $align))
        """;

    public static TheoryData<string, string> Contracts => new()
    {
        {
            nameof(AllocatorContract.CMalloc), $$"""
            (func (export "malloc") (param $size i32) (result i32) {{HostModules.Bump}})
            (func (export "free") (param $ptr i32) {{RecordFree}})
            """
        },
        {
            nameof(AllocatorContract.WasmBindgen), $$"""
            (func (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32) {{HostModules.Bump}})
            (func (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32) {{RecordSizedFree}})
            """
        },
        {
            nameof(AllocatorContract.WasmSharedMemory), $$"""
            {{TestModules.AbiVersionExport}}
            (func (export "wsm_alloc") (param $size i32) (param $align i32) (result i32) {{HostModules.Bump}})
            (func (export "wsm_free") (param $ptr i32) (param $size i32) (param $align i32) {{RecordSizedFree}})
            """
        },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Adopt_BlockAnExportReturned_IsReadInPlaceAndFreedThroughTheContract(string contract, string allocator)
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator, MakeRamp)));
        int p = host.GetFunction<int, int>("make_ramp")(16);

        WasmBuffer<float> ramp = host.Adopt<float>((uint)p, 16);

        Assert.Equal(contract, host.Contract.Name);
        Assert.Equal((uint)p, ramp.Address);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), ramp.ToArray());
        Assert.Equal(1, host.LiveBuffers);
        Assert.Equal(64, host.LiveBytes);

        ramp.Dispose();
        ramp.Dispose(); // an adopted block freed twice: the second does nothing

        Assert.Equal(1, Global(host, "frees"));
        Assert.Equal(p, Global(host, "freed_ptr"));
        Assert.Equal(contract == nameof(AllocatorContract.CMalloc) ? -1 : 64, Global(host, "freed_size"));
        Assert.Equal(contract == nameof(AllocatorContract.CMalloc) ? -1 : 4, Global(host, "freed_align"));
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(0, host.LiveBytes);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Adopt_BlockTheModulesOwnAllocatorHandedOut_IsABufferLikeAnyOther(string owner)
    {
        using WasmHost host = Open(owner);
        uint p = GuestAllocate(host, owner, 400);

        float sum;
        using (WasmBuffer<float> adopted = host.Adopt<float>(p, 100))
        {
            adopted.Span.Fill(0.5f);
            sum = owner switch
            {
                KernelModule or KernelHost => host.GetFunction<int, WasmBuffer<float>, WasmBuffer<float>, float>("dot_f32")(100, adopted, adopted),
                CHost => host.GetFunction<WasmBuffer<float>, int, float>("sum")(adopted, 100),
                _ => 100 * host.GetFunction<WasmBuffer<float>, int, float>("mean_f32")(adopted, 100),
            };
            Assert.Equal(1, host.LiveBuffers);
        }

        Assert.Equal(owner is KernelModule or KernelHost ? 25f : 50f, sum);
        Assert.Equal(0, host.LiveBuffers);
        Assert.False(host.IsFaulted);

        // The block went back to the allocator, which hands it out again for the same request.
        using WasmBuffer<float> again = host.Allocate<float>(100);
        Assert.Equal(p, again.Address);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Adopt_Zero_ThrowsArgumentAndTheHostStaysUsable(string owner)
    {
        using WasmHost host = Open(owner);

        var ex = Assert.Throws<ArgumentException>(() => host.Adopt<float>(0, 4));

        Assert.Equal("address", ex.ParamName);
        Assert.Contains("null pointer", ex.Message);
        AssertUsable(host, liveBuffers: 0);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Adopt_MisalignedForTheElementType_ThrowsArgumentAndTheHostStaysUsable(string owner)
    {
        using WasmHost host = Open(owner);
        using WasmBuffer<byte> live = host.Allocate<byte>(64);
        uint free = live.Address + 1024; // past every block this test has, inside memory

        var ex = Assert.Throws<ArgumentException>(() => host.Adopt<float>(free + 2, 4));
        Assert.Throws<ArgumentException>(() => host.Adopt<double>(free + 4, 1));
        Assert.Throws<ArgumentException>(() => host.Adopt<Vector3>(free + 1, 1));

        Assert.Equal("address", ex.ParamName);
        Assert.Contains("not aligned to 4 bytes as Single needs", ex.Message);
        Assert.Contains("nothing was adopted", ex.Message);
        AssertUsable(host, liveBuffers: 1);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Adopt_PastTheEndOfMemory_ThrowsArgumentOutOfRangeAndTheHostStaysUsable(string owner)
    {
        using WasmHost host = Open(owner);
        uint end = (uint)host.MemoryBytes;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => host.Adopt<float>(end - 60, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Adopt<byte>(end, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Adopt<int>(0xFFFF_FFF0, 8)); // would wrap in 32 bits

        Assert.Equal("address", ex.ParamName);
        Assert.Contains($"ends past the {end} bytes of linear memory", ex.Message);
        AssertUsable(host, liveBuffers: 0);
    }

    [Fact]
    public void Adopt_BlockEndingExactlyAtTheEndOfMemory_IsAccepted()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc)));
        uint end = (uint)host.MemoryBytes;

        using (WasmBuffer<int> last = host.Adopt<int>(end - 8, 2))
        {
            last.CopyFrom(new[] { 1, 2 });
            Assert.Equal(new[] { 1, 2 }, host.Memory.GetSpan<int>(end - 8, 2).ToArray());
        }

        Assert.Equal(1, Global(host, "frees"));
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Adopt_OverlappingALiveBuffer_ThrowsArgumentAndLeavesTheBufferIntact(string owner)
    {
        using WasmHost host = Open(owner);
        using WasmBuffer<int> live = host.Allocate<int>(16);
        live.CopyFrom(Enumerable.Range(100, 16).ToArray());
        uint start = live.Address, end = live.Address + 64;

        var ex = Assert.Throws<ArgumentException>(() => host.Adopt<int>(start, 16));
        Assert.Throws<ArgumentException>(() => host.Adopt<int>(start + 16, 1));
        Assert.Throws<ArgumentException>(() => host.Adopt<int>(end - 4, 4));
        Assert.Throws<ArgumentException>(() => host.Adopt<int>(start - 16, 5));

        Assert.Contains($"overlaps the live block [0x{start:X8}, 0x{end:X8})", ex.Message);
        Assert.Equal(Enumerable.Range(100, 16), live.ToArray());
        AssertUsable(host, liveBuffers: 1);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Adopt_SameBlockTwice_RefusesTheSecondWhileTheFirstLives(string owner)
    {
        using WasmHost host = Open(owner);
        uint p = GuestAllocate(host, owner, 64);
        using WasmBuffer<float> first = host.Adopt<float>(p, 16);
        first.Span.Fill(7f);

        var ex = Assert.Throws<ArgumentException>(() => host.Adopt<float>(p, 16));

        Assert.Contains("no buffer owns", ex.Message);
        Assert.All(first.ToArray(), value => Assert.Equal(7f, value));
        AssertUsable(host, liveBuffers: 1);
    }

    [Fact]
    public void Adopt_NegativeOrOver4GiBLength_ThrowsArgumentOutOfRange()
    {
        using WasmHost host = Open(CHost);

        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => host.Adopt<float>(1024, -1)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => host.Adopt<double>(1024, int.MaxValue)).ParamName);
        AssertUsable(host, liveBuffers: 0);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Adopt_ZeroLength_OwnsNothingAndNeverCallsFree(string contract, string allocator)
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator, MakeRamp)));

        using (WasmBuffer<float> empty = host.Adopt<float>(4, 0)) // a Rust dangling pointer for an empty Vec<f32>
        {
            Assert.Equal(0, empty.Length);
            Assert.Equal(4u, empty.Address);
            Assert.Equal(1, host.LiveBuffers);
            Assert.Equal(0, host.LiveBytes);
        }

        Assert.Equal(contract, host.Contract.Name);
        Assert.Equal(0, Global(host, "frees"));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void Adopt_OnAFaultedHost_ThrowsFaulted()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Trap)));
        Assert.Throws<WasmTrapException>(host.GetAction("trap"));

        Assert.Throws<WasmModuleFaultedException>(() => host.Adopt<float>(1024, 4));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void Adopt_OnADisposedHost_ThrowsObjectDisposed()
    {
        WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc)));
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => host.Adopt<float>(1024, 4));
    }

    /// <summary>Allocates <paramref name="bytes"/> through the module's own allocator export, bypassing the host, as the guest's code would.</summary>
    private static uint GuestAllocate(WasmHost host, string owner, int bytes) => (uint)(owner switch
    {
        KernelModule or KernelHost => host.GetFunction<int, int, int>("wsm_alloc")(bytes, 4),
        CHost => host.GetFunction<int, int>("malloc")(bytes),
        _ => host.GetFunction<int, int, int>("__wbindgen_malloc")(bytes, 4),
    });

    private static void AssertUsable(WasmHost host, int liveBuffers)
    {
        Assert.False(host.IsFaulted);
        Assert.Equal(liveBuffers, host.LiveBuffers);
        host.Allocate<float>(4).Dispose();
    }

    private static int Global(WasmHost host, string name) => (int)host.Guest.Instance.GetGlobal(name)!.GetValue()!;
}
