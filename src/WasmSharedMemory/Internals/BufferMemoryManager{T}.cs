using System;
using System.Buffers;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The <see cref="MemoryManager{T}"/> behind <see cref="WasmBuffer{T}.Memory"/>: every <see cref="Span{T}"/> and
/// pin goes through the buffer's disposed check, so a <see cref="Memory{T}"/> kept past the buffer's
/// <c>Dispose</c> throws instead of reaching a freed block.
/// </summary>
/// <remarks>
/// Pinning costs nothing: linear memory never moves, so the pointer is the buffer's, and <see cref="Unpin"/>
/// has nothing to release. Disposing the manager does nothing; the buffer owns the block.
/// </remarks>
internal sealed unsafe class BufferMemoryManager<T> : MemoryManager<T>
    where T : unmanaged
{
    private readonly WasmBuffer<T> _buffer;

    public BufferMemoryManager(WasmBuffer<T> buffer) => _buffer = buffer;

    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public override Span<T> GetSpan() => _buffer.Span;

    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elementIndex"/> lies outside the buffer.</exception>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        T* start = _buffer.Pointer;
        if ((uint)elementIndex > (uint)_buffer.UncheckedLength)
        {
            ThrowHelper.ThrowPinOutOfRange(elementIndex, _buffer.UncheckedLength);
        }

        return new MemoryHandle(start + elementIndex, default, this);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
