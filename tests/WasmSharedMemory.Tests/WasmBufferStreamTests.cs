using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using static WasmSharedMemory.Tests.WasmBufferMemoryTests;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmBuffer{T}.AsStream"/>: the block's bytes as a seekable read/write stream of fixed length, in
/// place, refusing every use once the buffer or its owner is disposed.
/// </summary>
public sealed class WasmBufferStreamTests : BufferOwnerTests
{
    [Theory]
    [MemberData(nameof(Owners))]
    public void AsStream_ReadsAndWritesTheBlocksBytesInPlace(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<float> buffer = source.Allocate<float>(8);
        using Stream stream = buffer.AsStream();
        float[] values = { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f };

        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));

        Assert.True(stream.CanRead && stream.CanWrite && stream.CanSeek);
        Assert.Equal(32, stream.Length);
        Assert.Equal(32, stream.Position);
        Assert.Equal(values, buffer.ToArray());

        stream.Position = 4;
        var two = new byte[8];
        Assert.Equal(8, stream.Read(two, 0, 8));
        Assert.Equal(new[] { 2f, 3f }, MemoryMarshal.Cast<byte, float>(two).ToArray());

        Assert.Equal(28, stream.Seek(-4, SeekOrigin.End));
        stream.Write(BitConverter.GetBytes(80f), 0, 4);
        Assert.Equal(80f, buffer.Span[7]);
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(0, stream.Read(two, 0, 8));

        stream.Seek(0, SeekOrigin.Begin);
        stream.WriteByte(0);
        Assert.Equal(1, stream.Position);
        Assert.Equal(MemoryMarshal.AsBytes(buffer.Span)[1], stream.ReadByte());
        Assert.Equal(4, stream.Seek(2, SeekOrigin.Current));
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void AsStream_WritePastTheEnd_ThrowsNotSupportedAndWritesNothing(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<byte> buffer = source.Allocate<byte>(16);
        buffer.Span.Fill(0xEE);
        using Stream stream = buffer.AsStream();
        stream.Position = 14;

        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[] { 1, 2, 3 }, 0, 3));
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[] { 1, 2, 3 }));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(32));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(16));
        Assert.Equal(14, stream.Position);
        Assert.All(buffer.ToArray(), value => Assert.Equal(0xEE, value));

        stream.Write(new byte[] { 1, 2 });
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(3));
        Assert.Equal(new byte[] { 1, 2 }, buffer.Span[14..].ToArray());
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void AsStream_SeekingOutside_ThrowsBeforeTheStartAndReadsNothingPastTheEnd(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<int> buffer = source.Allocate<int>(4);
        using Stream stream = buffer.AsStream();

        Assert.Throws<IOException>(() => stream.Seek(-1, SeekOrigin.Begin));
        Assert.Throws<IOException>(() => stream.Seek(-17, SeekOrigin.End));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Position = -1);
        Assert.Throws<ArgumentException>(() => stream.Seek(0, (SeekOrigin)7));
        Assert.Equal(0, stream.Position);

        Assert.Equal(100, stream.Seek(100, SeekOrigin.Begin));
        Assert.Equal(0, stream.Read(new byte[4], 0, 4));
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(1));
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public async Task AsStream_AfterTheBufferIsDisposed_EveryMemberThrowsObjectDisposed(string owner)
    {
        using WasmHost source = Open(owner);
        WasmBuffer<byte> buffer = source.Allocate<byte>(64);
        Stream stream = buffer.AsStream();
        buffer.Dispose();
        using WasmBuffer<byte> next = source.Allocate<byte>(64); // likely the same block, now another buffer's
        next.Span.Fill(0x42);
        var bytes = new byte[8];

        Assert.False(stream.CanRead || stream.CanWrite || stream.CanSeek);
        Assert.Throws<ObjectDisposedException>(() => stream.Read(bytes, 0, 8));
        Assert.Throws<ObjectDisposedException>(() => stream.Read(bytes.AsSpan()));
        Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => stream.Write(bytes, 0, 8));
        Assert.Throws<ObjectDisposedException>(() => stream.Write(bytes.AsSpan()));
        Assert.Throws<ObjectDisposedException>(() => stream.WriteByte(1));
        Assert.Throws<ObjectDisposedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<ObjectDisposedException>(() => stream.Length);
        Assert.Throws<ObjectDisposedException>(() => stream.Position);
        Assert.Throws<ObjectDisposedException>(() => stream.Position = 0);
        Assert.Throws<ObjectDisposedException>(() => stream.SetLength(0));
        Assert.Throws<ObjectDisposedException>(stream.Flush);
        Assert.Throws<ObjectDisposedException>(() => stream.CopyTo(Stream.Null));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadAtLeastAsync(bytes.AsMemory(), 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.ReadAsync(bytes, 0, 8));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.WriteAsync(bytes.AsMemory()));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.WriteAsync(bytes, 0, 8));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.FlushAsync());
        Assert.Throws<ObjectDisposedException>(() => buffer.AsStream());
        Assert.All(next.ToArray(), value => Assert.Equal(0x42, value));
        stream.Dispose();
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void AsStream_AfterItsOwnerIsDisposed_ThrowsObjectDisposedNamingTheModule(string owner)
    {
        WasmHost source = Open(owner);
        WasmBuffer<byte> buffer = source.Allocate<byte>(64);
        using Stream stream = buffer.AsStream();
        source.Dispose();

        var ex = Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());

        Assert.Contains("module", ex.Message);
        buffer.Dispose();
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void AsStream_DisposingTheStream_LeavesTheBufferAlive(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<byte> buffer = source.Allocate<byte>(8);
        Stream stream = buffer.AsStream();

        stream.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stream.ReadByte());
        Assert.False(stream.CanRead);
        Assert.False(buffer.IsDisposed);
        Assert.Equal(1, source.LiveBuffers);
        using Stream again = buffer.AsStream();
        again.WriteByte(9);
        Assert.Equal(9, buffer.Span[0]);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void AsStream_CopiedToAndFromFiles_MovesEveryByte(string owner)
    {
        using WasmHost source = Open(owner);
        using TempFile file = TempFile.WithPattern(300_000);
        using WasmBuffer<byte> buffer = source.Allocate<byte>(300_000);

        using (FileStream input = File.OpenRead(file.Path))
        using (Stream stream = buffer.AsStream())
        {
            input.CopyTo(stream);
            Assert.Equal(300_000, stream.Position);
        }

        var output = new MemoryStream();
        using (Stream stream = buffer.AsStream())
        {
            stream.CopyTo(output, 4096);
        }

        Assert.True(buffer.Span.SequenceEqual(file.Contents));
        Assert.Equal(file.Contents, output.ToArray());
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public async Task AsStream_AsyncReadsAndWrites_CompleteInPlace(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<short> buffer = source.Allocate<short>(4);
        await using Stream stream = buffer.AsStream();

        await stream.WriteAsync(new byte[] { 1, 0, 2, 0 });
        await stream.WriteAsync(new byte[] { 3, 0, 4, 0 }, 0, 4);
        stream.Position = 0;
        var back = new byte[8];
        int read = await stream.ReadAsync(back.AsMemory(0, 4));
        read += await stream.ReadAsync(back, 4, 4);

        Assert.Equal(8, read);
        Assert.Equal(new short[] { 1, 2, 3, 4 }, buffer.ToArray());
        Assert.Equal(new byte[] { 1, 0, 2, 0, 3, 0, 4, 0 }, back);

        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadExactlyAsync(back.AsMemory(), canceled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.WriteAsync(back.AsMemory(), canceled.Token));
    }

    [Fact]
    public void AsStream_ArrayArgumentsOutOfRange_Throw()
    {
        using ISharedMemoryModule module = Load();
        using WasmBuffer<byte> buffer = module.Allocate<byte>(8);
        using Stream stream = buffer.AsStream();
        var bytes = new byte[4];

        Assert.Throws<ArgumentNullException>(() => stream.Read(null!, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(bytes, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(bytes, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Write(bytes, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Write(bytes, 0, -1));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void AsStream_OfAnEmptyBuffer_HasLengthZero()
    {
        using ISharedMemoryModule module = Load();
        using WasmBuffer<double> empty = module.Allocate<double>(0);
        using Stream stream = empty.AsStream();

        Assert.Equal(0, stream.Length);
        Assert.Equal(-1, stream.ReadByte());
        Assert.Throws<NotSupportedException>(() => stream.WriteByte(0));
        stream.Write(Array.Empty<byte>(), 0, 0);
    }
}
