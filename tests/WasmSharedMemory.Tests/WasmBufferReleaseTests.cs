using System;

namespace WasmSharedMemory.Tests;

/// <summary><see cref="WasmBuffer{T}.Release"/>: a block handed to the guest, forgotten by the host without being freed.</summary>
public sealed class WasmBufferReleaseTests : LeakCheckedTests
{
    private WasmHost Load() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc)));

    private static int Frees(WasmHost host) => (int)host.Guest.Instance.GetGlobal("frees")!.GetValue()!;

    [Fact]
    public void Release_ReturnsTheAddressAndFreesNothing()
    {
        using WasmHost host = Load();
        WasmBuffer<int> buffer = host.Allocate<int>(4);
        uint address = buffer.Address;

        Assert.Equal(address, buffer.Release());

        Assert.True(buffer.IsDisposed);
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(0, host.LiveBytes);
        buffer.Dispose(); // no-op: the guest owns the block
        Assert.Equal(0, Frees(host));
    }

    [Fact]
    public void Release_Twice_ThrowsObjectDisposed()
    {
        using WasmHost host = Load();
        WasmBuffer<byte> buffer = host.Allocate<byte>(1);
        buffer.Release();

        var ex = Assert.Throws<ObjectDisposedException>(() => buffer.Release());

        Assert.Contains("released", ex.Message);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
    }

    [Fact]
    public void Release_AfterDispose_ThrowsObjectDisposed()
    {
        using WasmHost host = Load();
        WasmBuffer<byte> buffer = host.Allocate<byte>(1);
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.Release());
    }

    [Fact]
    public void Release_AfterTheHostIsDisposed_ThrowsObjectDisposed()
    {
        WasmHost host = Load();
        WasmBuffer<byte> buffer = host.Allocate<byte>(1);
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.Release());
        buffer.Dispose(); // detaches it, as after any host's disposal

    }

    [Fact]
    public void Release_LeavesTheLedger_SoTheGuestMayHandTheBytesOutAgain()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(
            """
            (func (export "malloc") (param i32) (result i32) (i32.const 1024))
            (func (export "free") (param i32))
            """)));
        WasmBuffer<byte> first = host.Allocate<byte>(16);
        first.Release();

        // The allocator returns the same block again: the guest freed it, so this is not an overlap.
        using WasmBuffer<byte> second = host.Allocate<byte>(16);
        Assert.Equal(1024u, second.Address);
    }

    [Fact]
    public void Release_EmptyBuffer_ReturnsItsNonZeroAddress()
    {
        using WasmHost host = Load();
        WasmBuffer<long> empty = host.Allocate<long>(0);

        Assert.NotEqual(0u, empty.Release());
        Assert.Equal(0, host.LiveBuffers);
    }
}
