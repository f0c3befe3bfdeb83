using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The stream behind <see cref="WasmBuffer{T}.AsStream"/>: the block's bytes, read and written in place, with a
/// fixed length. Every member goes through the buffer's disposed check before it touches memory.
/// </summary>
/// <remarks>Like any stream it is not thread-safe. Disposing it leaves the buffer alone.</remarks>
internal sealed unsafe class BufferStream : Stream
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

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        try
        {
            Flush();
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

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
        GuestInstance guest = Enter();
        try
        {
            return _position < _length ? guest.Base[_block.BlockAddress + _position++] : -1;
        }
        finally
        {
            guest.ExitAccess();
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        CheckArray(buffer, offset, count);
        WriteCore(new ReadOnlySpan<byte>(buffer, offset, count));
    }

    public override void WriteByte(byte value)
    {
        GuestInstance guest = Enter();
        try
        {
            if (_position >= _length)
            {
                ThrowHelper.ThrowStreamFull(1, _position, _length);
            }

            guest.Base[_block.BlockAddress + _position++] = value;
        }
        finally
        {
            guest.ExitAccess();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        CheckArray(buffer, offset, count);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return Task.FromResult(ReadCore(new Span<byte>(buffer, offset, count)));
        }
        catch (Exception ex)
        {
            return Task.FromException<int>(ex);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        CheckArray(buffer, offset, count);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        try
        {
            WriteCore(new ReadOnlySpan<byte>(buffer, offset, count));
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

#if !NETSTANDARD2_0
    public override int Read(Span<byte> buffer) => ReadCore(buffer);

    public override void Write(ReadOnlySpan<byte> buffer) => WriteCore(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return new ValueTask<int>(ReadCore(buffer.Span));
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<int>(ex);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            WriteCore(buffer.Span);
            return default;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }
#endif

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

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
        GuestInstance guest = Enter();
        try
        {
            long position = _position;
            if (position >= _length)
            {
                return 0;
            }

            int count = (int)Math.Min(destination.Length, _length - position);
            new ReadOnlySpan<byte>(guest.Base + _block.BlockAddress + position, count).CopyTo(destination);
            _position = position + count;
            return count;
        }
        finally
        {
            guest.ExitAccess();
        }
    }

    private void WriteCore(ReadOnlySpan<byte> source)
    {
        GuestInstance guest = Enter();
        try
        {
            long position = _position;
            if (source.Length > _length - position)
            {
                ThrowHelper.ThrowStreamFull(source.Length, position, _length);
            }

            source.CopyTo(new Span<byte>(guest.Base + _block.BlockAddress + position, source.Length));
            _position = position + source.Length;
        }
        finally
        {
            guest.ExitAccess();
        }
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
    /// the module's disposal on another thread waits for; pair with <see cref="GuestInstance.ExitAccess"/>.
    /// </summary>
    private GuestInstance Enter()
    {
        if (_closed)
        {
            ThrowHelper.ThrowStreamClosed();
        }

        GuestInstance? guest = _block.Owner;
        if (guest is null || !guest.TryEnterAccess())
        {
            ThrowHelper.ThrowBufferDisposed(_block.GetType(), guest is not null);
        }

        return guest;
    }
}
