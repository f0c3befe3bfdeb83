using System;
using System.IO;
using System.Linq;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>
/// Bindings in wasm-bindgen's convention against Modules/bindgen_convention.wat: arguments the guest takes ownership
/// of, results through the return area freed with the module's own free, and wasm-bindgen's intrinsics built in.
/// </summary>
public sealed class WasmBindgenConventionTests : LeakCheckedTests
{
    private WasmHost Load() => Track(WasmHost.FromText(File.ReadAllText(ToolchainModules.Path("bindgen_convention.wat"))));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(1000)]
    public void VecResult_FromAnOwnedSlice_ComesBackAndEachBlockIsFreedOnce(int length)
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);
        var frees = host.GetFunction<int>("frees");
        var stackPointer = host.GetFunction<int>("stack_pointer");
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++)
        {
            input[i] = (byte)i;
        }

        int spBefore = stackPointer();
        for (int call = 0; call < 3; call++)
        {
            byte[] reversed = demo.Reverse(input);
            Assert.Equal(input.AsEnumerable().Reverse(), reversed);
        }

        // Each call: the guest freed its argument, the host freed the result; nothing freed twice.
        Assert.Equal(length == 0 ? 0 : 6, frees());
        Assert.Equal(spBefore, stackPointer());
        Assert.Equal(0, host.LiveBuffers);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void ArrayParameter_IsPassedAsASlice_NullAsEmpty()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);

        Assert.Equal(new byte[] { 3, 2, 1 }, demo.ReverseArray(new byte[] { 1, 2, 3 }));
        Assert.Empty(demo.ReverseArray(null!));
    }

    [Fact]
    public void StringResult_FromAnOwnedString_RoundTripsUtf8()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);

        Assert.Equal("HÉLLO, WORLD ✓", demo.Upper("hÉllo, world ✓"));
        Assert.Equal(string.Empty, demo.Upper(string.Empty));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void U32Slice_IsPassedAsPointerAndElementCount_AndFreedByTheGuestWithItsByteSize()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);

        Assert.Equal(10, demo.Sum(new uint[] { 1, 2, 3, 4 }));
        Assert.Equal(1, host.GetFunction<int>("frees")());
        Assert.Equal(16, host.GetFunction<int>("freed_bytes")());
    }

    [Fact]
    public void MutableSpan_IsCopiedBackAndFreedByTheHost()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);
        byte[] bytes = { 1, 2, 3 };

        demo.DoubleInPlace(bytes);

        Assert.Equal(new byte[] { 2, 4, 6 }, bytes);
        Assert.Equal(1, host.GetFunction<int>("frees")());
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void Buffer_WithoutTransfer_StaysTheCallers()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);
        using WasmBuffer<byte> buffer = host.Allocate<byte>(2);
        buffer.Span[0] = 5;
        buffer.Span[1] = 6;

        demo.DoubleBuffer(buffer);

        Assert.Equal(new byte[] { 10, 12 }, buffer.ToArray());
        Assert.Equal(1, host.LiveBuffers);
    }

    [Fact]
    public void Buffer_WithTransfer_IsReleasedToTheGuest()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);
        WasmBuffer<byte> buffer = host.Allocate<byte>(3);
        buffer.CopyFrom(new byte[] { 7, 8, 9 });

        byte[] reversed = demo.ReverseBuffer(buffer);

        Assert.Equal(new byte[] { 9, 8, 7 }, reversed);
        Assert.True(buffer.IsDisposed);
        Assert.Equal(0, host.LiveBuffers);
        buffer.Dispose(); // a released buffer's dispose frees nothing
        Assert.Equal(2, host.GetFunction<int>("frees")());
    }

    [Fact]
    public void Throw_BecomesATrapCarryingTheGuestsMessage()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);

        var ex = Assert.Throws<WasmTrapException>(() => demo.Fail("invalid input: ünïcode"));

        Assert.Contains("wasm-bindgen throw: \"invalid input: ünïcode\"", ex.Message);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void StringThroughTheObjectHeap_ComesBackAndIsDropped()
    {
        using WasmHost host = Load();
        var demo = new BindgenDemo(host);

        Assert.Equal("through the heap ✓", demo.RoundTrip("through the heap ✓"));
        Assert.Equal("again", demo.RoundTrip("again"));
        Assert.Equal(0, host.GetFunction<int>("live_objects")());
    }
}
