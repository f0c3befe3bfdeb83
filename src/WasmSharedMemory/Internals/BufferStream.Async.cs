using System;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Internals;

// The asynchronous members: each runs its synchronous twin at once (a copy in memory never waits) through SynchronousTasks.
internal sealed partial class BufferStream
{
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        SynchronousTasks.Run(this, cancellationToken, static stream => Flushed(stream));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        CheckArray(buffer, offset, count);
        return SynchronousTasks.Run((Stream: this, Bytes: new ArraySegment<byte>(buffer, offset, count)), cancellationToken, static s => s.Stream.ReadCore(s.Bytes));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        CheckArray(buffer, offset, count);
        return SynchronousTasks.Run((Stream: this, Bytes: new ArraySegment<byte>(buffer, offset, count)), cancellationToken, static s => s.Stream.Written(s.Bytes));
    }

#if !NETSTANDARD2_0
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        SynchronousTasks.RunValue((Stream: this, Bytes: buffer), cancellationToken, static s => s.Stream.ReadCore(s.Bytes.Span));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        SynchronousTasks.RunValue((Stream: this, Bytes: buffer), cancellationToken, static s => s.Stream.Written(s.Bytes.Span));
#endif

    private static bool Flushed(BufferStream stream)
    {
        stream.Flush();
        return true;
    }

    private bool Written(ReadOnlySpan<byte> source)
    {
        WriteCore(source);
        return true;
    }
}
