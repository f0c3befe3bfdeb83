using System;
using System.Buffers;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>
/// A block of a WebAssembly module's linear memory holding <see cref="Length"/> elements of
/// <typeparamref name="T"/>, viewed in place as a <see cref="Span{T}"/>: no copy between .NET and the guest.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>
/// The buffer owns its block and frees it through the module's allocator on <see cref="Dispose"/>. There is no
/// finalizer (it would race calls on other threads), so an undisposed buffer leaks until its module is
/// disposed; <see cref="ISharedMemoryModule.LiveBuffers"/> shows it.
/// </para>
/// <para>
/// A span taken from <see cref="Span"/> stays valid while the buffer and its module are undisposed, even as
/// the module's memory grows: the engine never moves linear memory. Using such a span after either is
/// disposed touches unmapped memory; keep spans inside the <c>using</c> scope of their buffer.
/// </para>
/// </remarks>
public sealed unsafe class WasmBuffer<T> : IMemoryOwner<T>, IGuestBlock
    where T : unmanaged
{
    // The owning instance doubles as the disposed flag: null once this buffer is disposed.
    private GuestInstance? _guest;
    private readonly uint _address;
    private readonly int _length;

    // Calls running on a parallel module's other instances with this block, outside the gate; a free waits for 0.
    private int _pins;

    // Made on the first use of Memory, so a buffer that never hands one out costs nothing more.
    private BufferMemoryManager<T>? _memoryManager;

    internal WasmBuffer(GuestInstance guest, uint address, int length)
    {
        _guest = guest;
        _address = address;
        _length = length;
    }

    /// <summary>Gets the number of elements.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public int Length
    {
        get
        {
            _ = Live();
            return _length;
        }
    }

    /// <summary>Gets the size of the buffer in bytes.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public long ByteLength
    {
        get
        {
            _ = Live();
            return (long)_length * sizeof(T);
        }
    }

    /// <summary>Gets the buffer's offset in linear memory: the pointer to pass to the module's exports.</summary>
    /// <remarks>An empty buffer has a non-zero, aligned address that owns no memory.</remarks>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public uint Address
    {
        get
        {
            _ = Live();
            return _address;
        }
    }

    /// <summary>Gets a span over the buffer's elements, directly over the module's linear memory.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public Span<T> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Live().Base + _address, _length);
    }

    /// <summary>Gets the buffer's elements as a <see cref="Memory{T}"/>, for APIs that take one (<c>Stream.ReadAsync</c>, <c>System.IO.Pipelines</c>, <c>RandomAccess.Read</c>): still no copy.</summary>
    /// <remarks>
    /// The memory's <c>Span</c> and <c>Pin</c> check the buffer each time: once the buffer or its module is
    /// disposed they throw <see cref="ObjectDisposedException"/> and never reach the freed block. Pinning is free
    /// because linear memory never moves. A span or pointer already taken from it is not revoked: keep those
    /// inside the buffer's <c>using</c> scope, as with <see cref="Span"/>.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public Memory<T> Memory
    {
        get
        {
            _ = Live();
            return (_memoryManager ??= new BufferMemoryManager<T>(this)).Memory;
        }
    }

    /// <summary>Gets a value indicating whether the buffer, or the module that owns it, has been disposed.</summary>
    public bool IsDisposed => _guest is not { IsDisposed: false };

    uint IGuestBlock.BlockAddress => _address;

    ulong IGuestBlock.BlockBytes => (ulong)_length * (ulong)sizeof(T);

    int IGuestBlock.BlockAlignment => ElementLayout<T>.Alignment;

    GuestInstance? IGuestBlock.Owner => _guest;

    /// <summary>Gets the owning instance without checks, or null once disposed.</summary>
    internal GuestInstance? UncheckedOwner => _guest;

    /// <summary>Gets the address without checks, for a module that already validated the buffer under its lock.</summary>
    internal uint UncheckedAddress => _address;

    /// <summary>Gets the length without checks, for a module that already validated the buffer under its lock.</summary>
    internal int UncheckedLength => _length;

    /// <summary>Gets a pointer to the first element after the disposed check.</summary>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    internal T* Pointer => (T*)(Live().Base + _address);

    /// <summary>Gets a span over <paramref name="length"/> elements starting at <paramref name="start"/>.</summary>
    /// <param name="start">The index of the first element.</param>
    /// <param name="length">The number of elements.</param>
    /// <returns>A span directly over the module's linear memory.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the buffer.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public Span<T> AsSpan(int start, int length)
    {
        GuestInstance guest = Live();
        if ((ulong)(uint)start + (uint)length > (uint)_length)
        {
            ThrowHelper.ThrowSliceOutOfRange(start, length, _length);
        }

        return new Span<T>(guest.Base + _address + ((nuint)(uint)start * (nuint)sizeof(T)), length);
    }

    /// <summary>Copies <paramref name="source"/> into the start of the buffer.</summary>
    /// <param name="source">The elements to copy; may overlap the buffer.</param>
    /// <remarks>Safe against the module being disposed on another thread: its disposal waits for the copy.</remarks>
    /// <exception cref="ArgumentException"><paramref name="source"/> is longer than the buffer. Nothing is copied.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public void CopyFrom(ReadOnlySpan<T> source)
    {
        GuestInstance guest = Live();
        if (source.Length > _length)
        {
            ThrowHelper.ThrowSourceTooLong(source.Length, _length);
        }

        using GuestAccess access = Enter(guest);
        source.CopyTo(new Span<T>(access.Base + _address, _length));
    }

    /// <summary>Copies the buffer into the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to copy; must hold at least <see cref="Length"/> elements.</param>
    /// <remarks>Safe against the module being disposed on another thread: its disposal waits for the copy.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the buffer. Nothing is copied.</exception>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public void CopyTo(Span<T> destination)
    {
        GuestInstance guest = Live();
        if (destination.Length < _length)
        {
            ThrowHelper.ThrowDestinationTooShort(destination.Length, _length);
        }

        using GuestAccess access = Enter(guest);
        new ReadOnlySpan<T>(access.Base + _address, _length).CopyTo(destination);
    }

    /// <summary>Returns a stream over the buffer's bytes, read and written in place.</summary>
    /// <returns>
    /// A seekable, readable and writable stream of <see cref="ByteLength"/> bytes, starting at position 0. Its length
    /// is fixed: <c>SetLength</c>, or a write that would pass the end, throws <see cref="NotSupportedException"/> and
    /// writes nothing. Once the buffer or its module is disposed, every member throws
    /// <see cref="ObjectDisposedException"/>. Disposing the stream does not dispose the buffer.
    /// </returns>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public Stream AsStream()
    {
        _ = Live();
        return new BufferStream(this);
    }

    /// <summary>Copies the buffer into a new array.</summary>
    /// <returns>A managed copy of the elements.</returns>
    /// <remarks>Safe against the module being disposed on another thread: its disposal waits for the copy.</remarks>
    /// <exception cref="ObjectDisposedException">The buffer or its module has been disposed.</exception>
    public T[] ToArray()
    {
        _ = Live();
        if (_length == 0)
        {
            return Array.Empty<T>();
        }

        // Allocated before the access begins, so a module's disposal never waits on the garbage collector.
        var array = new T[_length];
        CopyTo(array);
        return array;
    }
    /// <summary>Frees the block through the module's allocator. Calling it again, or after the module was disposed, does nothing.</summary>
    /// <exception cref="WasmTrapException">The module's free export trapped; the buffer is disposed and the module faulted.</exception>
    public void Dispose() => _guest?.Heap.Free(this);

    /// <summary>
    /// Hands the block to the guest: returns its address and forgets it without freeing it, so the module's own code
    /// frees it (as a function compiled with wasm-bindgen does with a <c>String</c> or <c>Vec</c> argument).
    /// </summary>
    /// <returns>The block's address, to pass to the export that takes ownership of it.</returns>
    /// <remarks>
    /// The buffer then behaves as disposed, and leaves <see cref="WasmHost.LiveBuffers"/> and
    /// <see cref="WasmHost.LiveBytes"/>; a span taken from it must not be used after the guest may have freed the block.
    /// Released, the block is no longer the host's, so a later block the allocator returns may overlap it. An empty
    /// buffer's address owns no memory, which is what a guest expects of an empty <c>Vec</c> or <c>String</c>.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The buffer has been disposed or released, or its module disposed.</exception>
    public uint Release()
    {
        GuestInstance guest = Live();
        if (!guest.Heap.Release(this))
        {
            // Disposed or released on another thread meanwhile.
            ThrowHelper.ThrowBufferDisposed(GetType(), moduleDisposed: false);
        }

        return _address;
    }

    /// <summary>Describes the buffer without throwing, for debuggers and logs.</summary>
    /// <returns>The element type, length, address and state.</returns>
    public override string ToString() =>
        $"WasmBuffer<{typeof(T).Name}>[{_length}] at 0x{_address:X8}{(IsDisposed ? " (disposed)" : string.Empty)}";

    bool IGuestBlock.TryDetach(GuestInstance guest) => Interlocked.CompareExchange(ref _guest, null, guest) == guest;

    void IGuestBlock.WaitForPins()
    {
        // Dekker-style with TryPin: the detach (a full fence) came before this read, TryPin's increment before its
        // read of the owner, so either the pin sees the buffer detached or this sees the pin. Pinned calls are
        // kernel calls that never take the gate, so they end without this thread.
        var spin = default(SpinWait);
        while (Volatile.Read(ref _pins) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Marks the block in use by a call outside <paramref name="guest"/>'s gate; false, marking nothing, unless it is a live buffer of it.</summary>
    internal bool TryPin(GuestInstance guest)
    {
        Interlocked.Increment(ref _pins);
        if (Volatile.Read(ref _guest) == guest)
        {
            return true;
        }

        Interlocked.Decrement(ref _pins);
        return false;
    }

    /// <summary>Ends one <see cref="TryPin"/> that returned true.</summary>
    internal void Unpin() => Interlocked.Decrement(ref _pins);

    /// <summary>Begins an access to linear memory that the module's disposal waits for.</summary>
    private GuestAccess Enter(GuestInstance guest)
    {
        if (!guest.TryAccess(out GuestAccess access))
        {
            ThrowHelper.ThrowBufferDisposed(GetType(), moduleDisposed: true);
        }

        return access;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private GuestInstance Live()
    {
        GuestInstance? guest = _guest;
        if (guest is null || guest.IsDisposed)
        {
            ThrowHelper.ThrowBufferDisposed(GetType(), guest is not null);
        }

        return guest;
    }
}
