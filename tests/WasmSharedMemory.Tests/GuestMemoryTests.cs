using System;
using System.Text;

namespace WasmSharedMemory.Tests;

/// <summary>GuestMemory: the checked zero-copy view of linear memory, from <see cref="WasmHost.Memory"/> and inside host functions.</summary>
public sealed class GuestMemoryTests : LeakCheckedTests
{
    private const long Page = 65536;

    /// <summary>Ranges at the end of one 64 KiB page: (address, byte length, whether it lies inside).</summary>
    public static TheoryData<uint, int, bool> Ranges => new()
    {
        { 0, 0, true },
        { 0, 65536, true },
        { 65535, 1, true },
        { 65536, 0, true },
        { 65536, 1, false },
        { 65535, 2, false },
        { 0, 65537, false },
        { uint.MaxValue, 1, false },
        { uint.MaxValue, int.MaxValue, false },
    };

    [Fact]
    public void GetSpan_OverABuffer_IsTheSameMemoryBothWays()
    {
        using WasmHost host = Load();
        using WasmBuffer<int> buffer = host.Allocate<int>(16);
        buffer.Span.Fill(3);

        Span<int> view = host.Memory.GetSpan<int>(buffer.Address, buffer.Length);
        view[5] = 99;

        Assert.Equal(3, view[0]);
        Assert.Equal(99, buffer.Span[5]);
        Assert.Equal(host.MemoryBytes, host.Memory.Length);
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void GetSpan_RangeOutsideMemory_ThrowsArgumentOutOfRange(uint address, int bytes, bool inside)
    {
        using WasmHost host = Load();
        Assert.Equal(Page, host.Memory.Length);

        if (inside)
        {
            Assert.Equal(bytes, host.Memory.GetSpan<byte>(address, bytes).Length);
        }
        else
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.GetSpan<byte>(address, bytes));
            Assert.Contains($"{Page} bytes of linear memory", ex.Message);
        }
    }

    [Fact]
    public void GetSpan_WideElements_CheckTheWholeRangeInBytes()
    {
        using WasmHost host = Load();

        Assert.Equal(2, host.Memory.GetSpan<double>((uint)(Page - 16), 2).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.GetSpan<double>((uint)(Page - 15), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.GetSpan<long>(0, int.MaxValue));
    }

    [Fact]
    public void GetSpan_NegativeLength_ThrowsArgumentOutOfRange()
    {
        using WasmHost host = Load();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.GetSpan<int>(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.ReadUtf8(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.ReadUtf16(0, -1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("Wörld ✓ 🦀 中文")]
    public void ReadUtf8AndUtf16_DecodeWhatWasWritten(string text)
    {
        using WasmHost host = Load();
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        using WasmBuffer<byte> bytes = host.Allocate<byte>(utf8.Length);
        using WasmBuffer<char> chars = host.Allocate<char>(text.Length);
        bytes.CopyFrom(utf8);
        chars.CopyFrom(text.AsSpan());

        Assert.Equal(text, host.Memory.ReadUtf8(bytes.Address, bytes.Length));
        Assert.Equal(text, host.Memory.ReadUtf16(chars.Address, chars.Length));
    }

    [Fact]
    public void ReadUtf8_InvalidSequence_BecomesReplacementCharacter()
    {
        using WasmHost host = Load();
        using WasmBuffer<byte> bytes = host.Allocate<byte>(3);
        bytes.CopyFrom(new byte[] { (byte)'a', 0xFF, (byte)'b' });

        Assert.Equal("a\uFFFDb", host.Memory.ReadUtf8(bytes.Address, bytes.Length));
    }

    [Fact]
    public void ReadUtf16_PastTheEnd_ThrowsArgumentOutOfRange()
    {
        using WasmHost host = Load();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.ReadUtf16((uint)(Page - 2), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.ReadUtf8((uint)Page, 1));
    }

    [Fact]
    public void Span_TakenBeforeGrowth_StaysValidAndTheViewCoversTheNewPages()
    {
        using WasmHost host = Load(HostModules.GrowForever);
        Span<byte> early = host.Memory.GetSpan<byte>(1024, 16);
        early.Fill(7);

        host.GetFunction<int>("grow_forever")();

        Assert.True(host.Memory.Length > Page);
        Assert.Equal(7, early[15]);
        Assert.Equal(host.Memory.Length, host.Memory.GetSpan<byte>(0, checked((int)Math.Min(host.Memory.Length, int.MaxValue))).Length);
    }

    [Fact]
    public void Members_AfterTheHostIsDisposed_ThrowObjectDisposed()
    {
        WasmHost host = Load();
        GuestMemory memory = host.Memory;
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => memory.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.GetSpan<byte>(0, 1));
        Assert.Throws<ObjectDisposedException>(() => memory.ReadUtf8(0, 0));
    }

    private WasmHost Load(string exports = "") =>
        Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, memory: """(memory (export "memory") 1 16)""")));
}
