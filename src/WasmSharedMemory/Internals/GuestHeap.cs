using System;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// One instance's linear memory and allocator: hands out checked blocks, frees them, counts what is live,
/// serializes every call into the store, and turns traps into a faulted state.
/// </summary>
/// <remarks>
/// A Wasmtime store must never be entered from two threads at once (that panics inside Wasmtime and takes
/// the process down), so every call into it happens under <see cref="Gate"/>. There is no finalizer: one
/// would run on the finalizer thread and could race a call in progress.
/// </remarks>
internal sealed unsafe class GuestHeap : IDisposable
{
    /// <summary>The address empty buffers report: non-zero and aligned for every element type, owning no memory.</summary>
    public const uint EmptyBlockAddress = 16;

    /// <summary>A wasm32 size argument is a u32.</summary>
    public const ulong MaxBlockBytes = uint.MaxValue;

    private readonly Store _store;
    private readonly Memory _memory;
    private readonly Func<int, int, int> _alloc;
    private readonly Action<int, int, int> _free;
    private readonly string _allocExport;
    private readonly string _freeExport;
    private readonly long? _maxMemoryBytes;
    private readonly byte* _base;
    private volatile bool _disposed;
    private Exception? _fault;
    private int _liveBuffers;
    private long _liveBytes;

    public GuestHeap(Store store, Memory memory, Func<int, int, int> alloc, string allocExport, Action<int, int, int> free, string freeExport, long? maxMemoryBytes)
    {
        _store = store;
        _memory = memory;
        _alloc = alloc;
        _allocExport = allocExport;
        _free = free;
        _freeExport = freeExport;
        _maxMemoryBytes = maxMemoryBytes;
        _base = (byte*)memory.GetPointer();
    }

    /// <summary>Gets the lock every call into the store takes.</summary>
    public object Gate { get; } = new();

    /// <summary>Gets the base of linear memory; fixed for the heap's life because the engine forbids moving it.</summary>
    public byte* Base => _base;

    public bool IsDisposed => _disposed;

    public bool IsFaulted => Volatile.Read(ref _fault) is not null;

    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Gets the current size of linear memory in bytes.</summary>
    public long MemoryBytes
    {
        get
        {
            lock (Gate)
            {
                ThrowIfDisposed();
                return _memory.GetLength();
            }
        }
    }

    /// <summary>Throws unless calls into the guest are allowed. Call under <see cref="Gate"/>.</summary>
    public void ThrowIfUnusable()
    {
        ThrowIfDisposed();
        if (_fault is { } fault)
        {
            throw new WasmModuleFaultedException(fault);
        }
    }

    /// <summary>Records a trap in <paramref name="export"/> and returns the exception to throw. Call under <see cref="Gate"/>.</summary>
    public WasmTrapException Trapped(string export, WasmtimeException exception) => Fault(new WasmTrapException(export, exception));

    /// <summary>Allocates and checks a block for <paramref name="length"/> elements of <typeparamref name="T"/>.</summary>
    public WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged
    {
        if (length < 0)
        {
            ThrowHelper.ThrowNegativeLength(length);
        }

        int size = ElementLayout<T>.Size;
        int alignment = ElementLayout<T>.Alignment;
        ulong bytes = (ulong)length * (ulong)size; // int × int cannot overflow 64 bits
        if (bytes > MaxBlockBytes)
        {
            ThrowHelper.ThrowBufferTooLarge(length, size, typeof(T), bytes);
        }

        lock (Gate)
        {
            ThrowIfUnusable();
            uint address = EmptyBlockAddress;
            if (bytes != 0)
            {
                try
                {
                    // Wasm pointers are u32: reinterpret the i32 bits, never sign-extend.
                    address = unchecked((uint)_alloc(unchecked((int)(uint)bytes), alignment));
                }
                catch (WasmtimeException ex)
                {
                    throw Trapped(_allocExport, ex);
                }

                if (address == 0)
                {
                    throw OutOfMemory(bytes, length, typeof(T));
                }

                CheckBlock(address, bytes, alignment, typeof(T));
            }

            _liveBuffers++;
            _liveBytes += (long)bytes;
            return new WasmBuffer<T>(this, address, length);
        }
    }

    /// <summary>Frees <paramref name="block"/> if it is still attached; never calls into a disposed or faulted store.</summary>
    public void Free(IGuestBlock block)
    {
        lock (Gate)
        {
            if (!block.TryDetach(this))
            {
                return;
            }

            ulong bytes = block.BlockBytes;
            _liveBuffers--;
            _liveBytes -= (long)bytes;

            // After dispose the store's memory is gone with it; after a fault the guest heap may be corrupt.
            if (_disposed || _fault is not null || bytes == 0)
            {
                return;
            }

            try
            {
                _free(unchecked((int)block.BlockAddress), unchecked((int)(uint)bytes), block.BlockAlignment);
            }
            catch (WasmtimeException ex)
            {
                throw Trapped(_freeExport, ex);
            }
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _store.Dispose();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ThrowModuleDisposed();
        }
    }

    private void CheckBlock(uint address, ulong bytes, int alignment, Type elementType)
    {
        ulong memoryBytes = (ulong)_memory.GetLength();
        string? problem =
            address % (uint)alignment != 0 ? $"is not aligned to {alignment} bytes as {elementType.Name} needs"
            : address + bytes > memoryBytes ? $"with {bytes} bytes ends past the {memoryBytes} bytes of linear memory"
            : (byte*)_memory.GetPointer() != _base ? "came after linear memory moved, which this engine forbids"
            : null;
        if (problem is not null)
        {
            // The block is not trusted enough to hand back to the guest's free.
            throw Fault(new WasmContractException($"Allocator export '{_allocExport}' returned address 0x{address:X8}, which {problem}. The module is faulted."));
        }
    }

    private WasmOutOfMemoryException OutOfMemory(ulong bytes, int length, Type elementType)
    {
        long memoryBytes = _memory.GetLength();
        string limit = _maxMemoryBytes is { } max ? $"the {max}-byte MaxMemoryBytes limit" : "the 4 GiB WebAssembly limit";
        return new WasmOutOfMemoryException(
            (long)bytes,
            $"The WebAssembly module could not allocate {bytes} bytes ({length} × {elementType.Name}): its allocator '{_allocExport}' returned 0. " +
            $"Linear memory is {memoryBytes} bytes, with {LiveBytes} bytes in live buffers, under {limit}. Dispose buffers you no longer need or raise the limit.");
    }

    private TException Fault<TException>(TException exception)
        where TException : Exception
    {
        Volatile.Write(ref _fault, exception);
        return exception;
    }
}
