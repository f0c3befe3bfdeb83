using System;
using System.IO;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The stream behind <see cref="WasmBuffer{T}.AsStream"/>: the block's bytes, read and written in place, with a
/// fixed length. Every member goes through the buffer's disposed check before it touches memory.
/// </summary>
/// <remarks>
/// Like any stream it is not thread-safe. Disposing it leaves the buffer alone. The asynchronous members are in
/// <c>BufferStream.Async.cs</c>: the work is a copy in memory, so they run it at once.
/// </remarks>
internal sealed unsafe partial class BufferStream : Stream
{
    private readonly IGuestBlock _block;
    private readonly long _length;
    private long _position;
    private bool _closed;

    public BufferStream(IGuestBlock block)
    {
        _block = block;
        _length = (long)block.BlockBytes;
    }

    public override bool CanRead => IsUsable;

    public override bool CanSeek => IsUsable;

    public override bool CanWrite => IsUsable;

    public override long Length
    {
        get
        {
            _ = Start();
            return _length;
        }
    }

    public override long Position
    {
        get
        {
            _ = Start();
            return _position;
        }

        set
        {
            if (value < 0)
            {
                ThrowHelper.ThrowNegativePosition(value);
            }

            _ = Start();
            _position = value;
        }
    }

    private bool IsUsable => !_closed && _block.Owner is { IsDisposed: false };

    public override void Flush() => _ = Start();

    public override long Seek(long offset, SeekOrigin origin)
    {
        _ = Start();
        long from = origin switch
        {
            SeekOrigin.Begin => 0,
            SeekOrigin.Current => _position,
            SeekOrigin.End => _length,
            _ => throw new ArgumentException($"Undefined SeekOrigin value {origin}.", nameof(origin)),
        };
        long target = unchecked(from + offset);
        if (target < 0)
        {
            ThrowHelper.ThrowSeekOutOfRange(from, offset);
        }

        return _position = target;
    }

    public override void SetLength(long value)
    {
        _ = Start();
        ThrowHelper.ThrowFixedLength(_length);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        CheckArray(buffer, offset, count);
        return ReadCore(new Span<byte>(buffer, offset, count));
    }

    public override int ReadByte()
    {
        using GuestAccess access = Enter();
        return _position < _length ? access.Base[_block.BlockAddress + _position++] : -1;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        CheckArray(buffer, offset, count);
        WriteCore(new ReadOnlySpan<byte>(buffer, offset, count));
    }

    public override void WriteByte(byte value)
    {
        using GuestAccess access = Enter();
        if (_position >= _length)
        {
            ThrowHelper.ThrowStreamFull(1, _position, _length);
        }

        access.Base[_block.BlockAddress + _position++] = value;
    }

#if !NETSTANDARD2_0
    public override int Read(Span<byte> buffer) => ReadCore(buffer);

    public override void Write(ReadOnlySpan<byte> buffer) => WriteCore(buffer);
#endif

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    /// <summary>Checks an array and range, as the <c>byte[]</c> overloads of Stream must.</summary>
    private static void CheckArray(byte[] buffer, int offset, int count)
    {
        if (buffer is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(buffer));
        }

        if ((uint)offset > (uint)buffer.Length || (uint)count > (uint)(buffer.Length - offset))
        {
            ThrowHelper.ThrowArrayRange(offset, count, buffer.Length);
        }
    }

    private int ReadCore(Span<byte> destination)
    {
        using GuestAccess access = Enter();
        long position = _position;
        if (position >= _length)
        {
            return 0;
        }

        int count = (int)Math.Min(destination.Length, _length - position);
        new ReadOnlySpan<byte>(access.Base + _block.BlockAddress + position, count).CopyTo(destination);
        _position = position + count;
        return count;
    }

    private void WriteCore(ReadOnlySpan<byte> source)
    {
        using GuestAccess access = Enter();
        long position = _position;
        if (source.Length > _length - position)
        {
            ThrowHelper.ThrowStreamFull(source.Length, position, _length);
        }

        source.CopyTo(new Span<byte>(access.Base + _block.BlockAddress + position, source.Length));
        _position = position + source.Length;
    }

    /// <summary>Returns the block's first byte after checking that the stream, the buffer and its module are undisposed.</summary>
    /// <remarks>For members that only check; reading or writing the block goes through <see cref="Enter"/>.</remarks>
    private byte* Start()
    {
        if (_closed)
        {
            ThrowHelper.ThrowStreamClosed();
        }

        GuestInstance? guest = _block.Owner;
        if (guest is null || guest.IsDisposed)
        {
            ThrowHelper.ThrowBufferDisposed(_block.GetType(), guest is not null);
        }

        return guest.Base + _block.BlockAddress;
    }

    /// <summary>
    /// Checks that the stream, the buffer and its module are undisposed and begins an access to linear memory that
    /// the module's disposal on another thread waits for.
    /// </summary>
    private GuestAccess Enter()
    {
        if (_closed)
        {
            ThrowHelper.ThrowStreamClosed();
        }

        GuestInstance? guest = _block.Owner;
        GuestAccess access = default;
        if (guest is null || !guest.TryAccess(out access))
        {
            ThrowHelper.ThrowBufferDisposed(_block.GetType(), guest is not null);
        }

        return access;
    }
}
