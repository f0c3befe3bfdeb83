using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// One instantiated module in its own store: its linear memory, its bound allocator, the live-block
/// bookkeeping, and the guard every call into it goes through (serialization, time limits, fuel, faults).
/// </summary>
/// <remarks>
/// A Wasmtime store must never be entered from two threads at once (that panics inside Wasmtime and takes
/// the process down), so every call into it happens under <see cref="Gate"/>. There is no finalizer: one
/// would run on the finalizer thread and could race a call in progress.
/// </remarks>
internal sealed unsafe class GuestInstance : IDisposable
{
    /// <summary>The address empty buffers report: non-zero and aligned for every element type, owning no memory.</summary>
    public const uint EmptyBlockAddress = 16;

    /// <summary>A wasm32 size argument is a u32.</summary>
    public const ulong MaxBlockBytes = uint.MaxValue;

    private const string WasiModule = "wasi_snapshot_preview1";

    // Relative to the current epoch; far enough to never arrive, small enough not to overflow when added to it.
    private const ulong NoDeadline = 1UL << 62;

    private readonly Store _store;
    private readonly Memory _memory;
    private readonly GuestAllocator _allocator;
    private readonly Engine? _tickedEngine;
    private readonly long? _maxMemoryBytes;
    private readonly long _timeoutTicks;
    private readonly TimeSpan? _timeout;
    private readonly ulong? _fuelPerCall;
    private readonly byte* _base;
    private readonly BlockSet _blocks = new();
    private volatile bool _disposed;
    private Exception? _fault;
    private int _liveBuffers;
    private long _liveBytes;

    // The call in progress, read by the epoch callback on the calling thread.
    private long _callStarted;
    private long _callDeadline;
    private CancellationToken _callToken;
    private bool _deadlineArmed;

    private GuestInstance(Store store, Instance instance, Memory memory, GuestAllocator allocator, Engine? tickedEngine, WasmHostOptions? options)
    {
        _store = store;
        Instance = instance;
        _memory = memory;
        _allocator = allocator;
        _tickedEngine = tickedEngine;
        _maxMemoryBytes = options?.MaxMemoryBytes;
        _timeout = options?.CallTimeout;
        _timeoutTicks = _timeout is { } timeout ? (long)(timeout.TotalSeconds * Stopwatch.Frequency) : 0;
        _fuelPerCall = options?.FuelPerCall;
        _base = (byte*)memory.GetPointer();
    }

    /// <summary>Gets the store, for calls that bypass Wasmtime.Dotnet's delegates (<c>DirectCall</c>, net5.0 and later); call under <see cref="Gate"/>.</summary>
    public Store Store => _store;

    /// <summary>Gets the lock every call into the store takes.</summary>
    public object Gate { get; } = new();

    /// <summary>Gets the instance, for binding exports.</summary>
    public Instance Instance { get; }

    /// <summary>Gets the allocator contract in use.</summary>
    public AllocatorContract Contract => _allocator.Contract;

    /// <summary>Gets the base of linear memory; fixed for the instance's life because the engine forbids moving it.</summary>
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

    /// <summary>
    /// Instantiates <paramref name="module"/> in a new store on <paramref name="engine"/>, defines WASI preview 1
    /// when it imports it, and binds <paramref name="contract"/> (detected from the exports when null).
    /// </summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for.</param>
    /// <param name="module">The compiled module.</param>
    /// <param name="contract">The allocator exports, or null to detect them.</param>
    /// <param name="options">Limits and WASI grants, or null.</param>
    /// <param name="interruptible">Whether <paramref name="engine"/> has epoch interruption, so time limits and cancellation work.</param>
    public static GuestInstance Create(Engine engine, Module module, AllocatorContract? contract, WasmHostOptions? options, bool interruptible)
    {
        if (options?.CallTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "CallTimeout must be positive.");
        }

        long? maxMemoryBytes = options?.MaxMemoryBytes;
        if (maxMemoryBytes is { } max)
        {
            long initial = module.Exports.OfType<MemoryExport>().Where(e => e.Name == "memory").Select(e => e.Minimum * Memory.PageSize).FirstOrDefault();
            if (max < initial || max > 1L << 32)
            {
                throw new ArgumentOutOfRangeException(nameof(options), max, $"MaxMemoryBytes must lie between the module's initial memory of {initial} bytes and 4 GiB.");
            }
        }

        contract ??= GuestAllocator.Detect(module);
        var store = new Store(engine);
        GuestInstance? guest = null;
        try
        {
            if (maxMemoryBytes is not null)
            {
                store.SetLimits(memorySize: maxMemoryBytes);
            }

            if (interruptible)
            {
                store.SetEpochDeadline(NoDeadline);
            }

            if (options?.FuelPerCall is not null)
            {
                store.Fuel = options.FuelPerCall.Value;
            }

            Instance instance = Instantiate(engine, store, module, options);
            Memory memory = instance.GetMemory("memory")
                ?? throw new WasmContractException($"The module does not export its linear memory as 'memory'. It exports: {ExportSignatures.ListExports(module)}.");
            if (memory.Is64Bit)
            {
                throw new WasmContractException("The module's memory 'memory' is 64-bit; the library supports 32-bit linear memory.");
            }

            if (contract == AllocatorContract.WasmSharedMemory)
            {
                CheckAbiVersion(instance, module);
            }

            guest = new GuestInstance(store, instance, memory, GuestAllocator.Bind(contract, instance, module), interruptible ? engine : null, options);
            if (interruptible)
            {
                store.SetEpochDeadlineCallback(guest.OnEpochDeadline);
                EpochTicker.Attach(engine);
            }

            return guest;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Prepares a call under <see cref="Gate"/>: refuses it on a disposed or faulted instance or a canceled
    /// token, arms the time limit and cancellation, and refills fuel.
    /// </summary>
    public void BeginCall(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_tickedEngine is null)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_timeoutTicks != 0 || cancellationToken.CanBeCanceled)
        {
            _callStarted = Stopwatch.GetTimestamp();
            _callDeadline = _timeoutTicks != 0 ? _callStarted + _timeoutTicks : long.MaxValue;
            _callToken = cancellationToken;
            _store.SetEpochDeadline(1); // check at every tick; OnEpochDeadline decides
            _deadlineArmed = true;
        }
        else if (_deadlineArmed)
        {
            _store.SetEpochDeadline(NoDeadline);
            _deadlineArmed = false;
        }

        if (_fuelPerCall is { } fuel)
        {
            _store.Fuel = fuel;
        }
    }

    /// <summary>Maps a failed call of <paramref name="export"/> to the exception to throw, and faults the instance. Call under <see cref="Gate"/>.</summary>
    public Exception CallFailed(string export, WasmtimeException exception)
    {
        Exception result = exception.InnerException switch
        {
            TimeoutException => new TimeoutException(
                $"WebAssembly export '{export}' ran past its {_timeout?.TotalMilliseconds:0.###} ms CallTimeout and was stopped after " +
                $"{(Stopwatch.GetTimestamp() - _callStarted) * 1000.0 / Stopwatch.Frequency:0} ms. The module is faulted; load a new one.",
                exception),
            OperationCanceledException canceled => new OperationCanceledException(
                $"WebAssembly export '{export}' was canceled mid-call. The module is faulted; load a new one.", exception, canceled.CancellationToken),
            _ => new WasmTrapException(export, exception),
        };
        Volatile.Write(ref _fault, result);
        return result;
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
                BeginCall(CancellationToken.None);
                try
                {
                    // Wasm pointers are u32: reinterpret the i32 bits, never sign-extend.
                    address = unchecked((uint)_allocator.Allocate(unchecked((int)(uint)bytes), alignment));
                }
                catch (WasmtimeException ex)
                {
                    throw CallFailed(Contract.AllocExport, ex);
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
            if (bytes == 0)
            {
                return;
            }

            _blocks.Remove(block.BlockAddress);

            // After dispose the store's memory is gone with it; after a fault the guest heap may be corrupt.
            if (_disposed || _fault is not null)
            {
                return;
            }

            BeginCall(CancellationToken.None);
            try
            {
                _allocator.Free(unchecked((int)block.BlockAddress), unchecked((int)(uint)bytes), block.BlockAlignment);
            }
            catch (WasmtimeException ex)
            {
                throw CallFailed(Contract.FreeExport, ex);
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
            if (_tickedEngine is not null)
            {
                EpochTicker.Detach(_tickedEngine);
            }
        }
    }

    private static Instance Instantiate(Engine engine, Store store, Module module, WasmHostOptions? options)
    {
        if (module.Imports.Count == 0)
        {
            return new Instance(store, module);
        }

        string[] unsupported = module.Imports.Where(i => i.ModuleName != WasiModule).Select(i => $"{i.ModuleName}.{i.Name}").ToArray();
        if (unsupported.Length > 0)
        {
            throw new WasmContractException(
                $"The module imports {string.Join(", ", unsupported)}, which the host does not provide; only WASI preview 1 ({WasiModule}) is defined.");
        }

        store.SetWasiConfiguration(WasiFrom(options));
        using var linker = new Linker(engine);
        linker.DefineWasi();
        return linker.Instantiate(store, module);
    }

    /// <summary>WASI with nothing granted except what <paramref name="options"/> grants.</summary>
    private static WasiConfiguration WasiFrom(WasmHostOptions? options)
    {
        var wasi = new WasiConfiguration();
        if (options is null)
        {
            return wasi;
        }

        if (options.InheritStandardOutput)
        {
            wasi.WithInheritedStandardOutput();
        }

        if (options.InheritStandardError)
        {
            wasi.WithInheritedStandardError();
        }

        foreach (var variable in options.EnvironmentVariables)
        {
            wasi.WithEnvironmentVariable(variable.Key, variable.Value);
        }

        foreach (var directory in options.PreopenedDirectories)
        {
            wasi.WithPreopenedDirectory(directory.Value, directory.Key, mutable: false);
        }

        return wasi;
    }

    private static void CheckAbiVersion(Instance instance, Module module)
    {
        var version = instance.GetFunction<int>("wsm_abi_version")
            ?? throw ExportSignatures.Mismatch(module, "wsm_abi_version", "() -> i32");
        int abi = version();
        if (abi != KernelModule.AbiVersion)
        {
            throw new WasmContractException($"The module speaks allocator ABI version {abi}; this library speaks version {KernelModule.AbiVersion}.");
        }
    }

    private ulong OnEpochDeadline(Store store)
    {
        // Runs on the thread inside the call; throwing ends the call, and the exception comes back as the
        // InnerException of Wasmtime's, which CallFailed recognizes.
        _callToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() >= _callDeadline)
        {
            throw new TimeoutException();
        }

        return 1;
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
            : !_blocks.TryAdd(address, address + bytes, out var live) ? $"with {bytes} bytes overlaps the live block [0x{live.Start:X8}, 0x{live.End:X8})"
            : null;
        if (problem is not null)
        {
            // The block is not trusted enough to hand back to the guest's free.
            var fault = new WasmContractException($"Allocator export '{Contract.AllocExport}' returned address 0x{address:X8}, which {problem}. The module is faulted.");
            Volatile.Write(ref _fault, fault);
            throw fault;
        }
    }

    private WasmOutOfMemoryException OutOfMemory(ulong bytes, int length, Type elementType)
    {
        long memoryBytes = _memory.GetLength();
        string limit = _maxMemoryBytes is { } max ? $"the {max}-byte MaxMemoryBytes limit" : "the 4 GiB WebAssembly limit";
        return new WasmOutOfMemoryException(
            (long)bytes,
            $"The WebAssembly module could not allocate {bytes} bytes ({length} × {elementType.Name}): its allocator '{Contract.AllocExport}' returned 0. " +
            $"Linear memory is {memoryBytes} bytes, with {LiveBytes} bytes in live buffers, under {limit}. Dispose buffers you no longer need or raise the limit.");
    }
}
