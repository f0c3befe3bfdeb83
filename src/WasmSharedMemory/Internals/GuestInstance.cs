using System;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Internals;

/// <summary>
/// One instantiated module in its own store: its linear memory, the fault state, and the one guarded path
/// (<see cref="Call{TCall, TResult}"/>) every call into it takes, from an allocation, a free, a kernel or a
/// user's export.
/// </summary>
/// <remarks>
/// A Wasmtime store must never be entered from two threads at once (that panics inside Wasmtime and takes
/// the process down), so every call into it happens under one lock, which only this class takes. The
/// library's own copies in and out of linear memory run outside that lock, each in a <see cref="GuestAccess"/>, and
/// <see cref="Dispose"/> waits for them before it unmaps the memory. There is no finalizer: one would run on
/// the finalizer thread and could race a call in progress.
/// The lock (<see cref="CallGate"/>) is re-entrant, so a host function may call back in (allocate, call an export) on the thread that
/// holds it; such a nested call runs under the limits of the call that led to it, and its own token.
/// </remarks>
internal sealed unsafe partial class GuestInstance : IDisposable
{
    // Re-entrant like Monitor (a host function may call back in on its thread), and cheaper to enter and leave,
    // which every call pays: no interlocked instruction while one thread uses the instance.
    private readonly CallGate _gate = new();
    private readonly Store _store;
    private readonly LinearMemory _memory;
    private readonly CallLimits _limits;
    private readonly Engine? _tickedEngine;
    private readonly byte* _base;
    private volatile bool _disposed;
    private int _accesses;
    private Exception? _fault;

    // Under the gate: how many calls the holding thread has in progress (more than one inside a host function),
    // and what the last host function to fail threw, for the call it trapped to report.
    private int _depth;
    private Exception? _hostFailure;
    private bool _hostRefused;

    /// <summary>
    /// Wraps an instantiated module whose buffers live in <c>memory</c> (disposed after the store), reported as
    /// <c>owner</c> once disposed; <see cref="Loading.Instantiation"/> builds it and then binds <see cref="Heap"/>.
    /// </summary>
    public GuestInstance(Store store, Module module, Instance instance, LinearMemory memory, CallLimits limits, Engine? tickedEngine, string owner)
    {
        (_store, Module, Instance, _memory, _limits, _tickedEngine, Owner) = (store, module, instance, memory, limits, tickedEngine, owner);
        _base = memory.Base;
    }

    /// <summary>Gets the name of the public type that owns this instance, which a disposed instance is reported by.</summary>
    public string Owner { get; }

    /// <summary>Gets the compiled module, for messages that list its exports.</summary>
    public Module Module { get; }

    /// <summary>Gets the instance, for binding exports and for tests that inspect the guest.</summary>
    public Instance Instance { get; }

    /// <summary>Gets the heap that allocates buffers through the module's allocator and counts them.</summary>
    public GuestHeap Heap { get; private set; } = null!;

    /// <summary>Gets the base of linear memory; fixed for the instance's life because the engine forbids moving it.</summary>
    public byte* Base => _base;

    public bool IsDisposed => _disposed;

    /// <summary>Gets a value indicating whether the engine has epoch interruption, so a call's time limit and token can stop it mid-way.</summary>
    public bool IsInterruptible => _tickedEngine is not null;

    public bool IsFaulted => Volatile.Read(ref _fault) is not null;

    /// <summary>Gets the exception the instance faulted with, or null.</summary>
    public Exception? FaultOrNull => Volatile.Read(ref _fault);

    /// <summary>Gets the current size of linear memory in bytes.</summary>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    public long MemoryBytes
    {
        get
        {
            using (_gate.Enter())
            {
                ThrowIfDisposed();
                return _memory.Length;
            }
        }
    }

    /// <summary>Gets or sets what bounds the memory's growth; set once by <see cref="Loading.Instantiation"/>.</summary>
    internal MemoryGrowth Growth { get; set; }

    /// <summary>Gets why the last growth the host asked for in the current outermost call was refused, or null; only from inside a call.</summary>
    internal string? GrowthRefusalInCall { get; private set; }

    /// <summary>Forgets a refused growth, before a call whose failure may be explained by one; only from inside a call.</summary>
    internal void ClearGrowthRefusalInCall() => GrowthRefusalInCall = null;

    /// <summary>Grows linear memory by <paramref name="pages"/> pages with <c>memory.grow</c>'s meaning: the previous size in pages, or -1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pages"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    public long Grow(long pages)
    {
        if (pages < 0)
        {
            ThrowHelper.ThrowNegativePages(pages);
        }

        using (_gate.Enter())
        {
            ThrowIfDisposed();
            long before = _memory.Length;
            long previous = _memory.Grow(pages);
            if (previous < 0)
            {
                GrowthRefusalInCall = Growth.Refusal(before, pages);
            }
            else if (_memory.HasMoved)
            {
                // Spans and buffers hold pointers at the base; the engine's configuration rules this out.
                throw Fault(new WasmSharedMemoryException("Linear memory moved when it grew, which this engine forbids; the module is faulted."));
            }

            return previous;
        }
    }

    /// <summary>Returns a pointer to <paramref name="bytes"/> bytes at <paramref name="address"/> after checking the range lies inside memory now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside linear memory.</exception>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    public byte* Pointer(uint address, ulong bytes)
    {
        using (_gate.Enter())
        {
            ThrowIfDisposed();
            ulong memoryBytes = (ulong)_memory.Length;
            if (address + bytes > memoryBytes)
            {
                ThrowHelper.ThrowOutsideMemory(address, bytes, memoryBytes);
            }

            return _base + address;
        }
    }

    /// <summary>Begins an access to linear memory outside the gate, which <see cref="Dispose"/> waits out; end it by disposing it.</summary>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    public GuestAccess Access()
    {
        if (!TryAccess(out GuestAccess access))
        {
            ThrowHelper.ThrowModuleDisposed(Owner);
        }

        return access;
    }

    /// <summary>Begins an access as <see cref="Access"/> does; false, holding nothing, once the instance is disposed, for callers that report it their own way.</summary>
    public bool TryAccess(out GuestAccess access)
    {
        // Dekker-style with Dispose: increment, then read the flag; Dispose sets the flag, then reads the count.
        // Both sides are full fences, so either this sees the flag or Dispose sees the count.
        Interlocked.Increment(ref _accesses);
        if (_disposed)
        {
            Interlocked.Decrement(ref _accesses);
            access = default;
            return false;
        }

        access = new GuestAccess(this);
        return true;
    }

    /// <summary>Ends an access; only <see cref="GuestAccess.Dispose"/> calls it.</summary>
    internal void ExitAccess() => Interlocked.Decrement(ref _accesses);

    /// <summary>Gets the memory buffers live in, for tests and for a parallel module's other instances.</summary>
    internal LinearMemory Memory => _memory;

    /// <summary>Gets the current size of linear memory without taking the gate; only from inside a call.</summary>
    internal long MemoryBytesInCall => _memory.Length;

    /// <summary>Gets a value indicating whether linear memory left its base, which the engine forbids; only from inside a call.</summary>
    internal bool MemoryMovedInCall => _memory.HasMoved;

    /// <summary>Gets a value indicating whether the calling thread is inside a call into this instance, as a host function it called is.</summary>
    internal bool IsCallingOnCurrentThread => _gate.IsHeldByCurrentThread;

    /// <summary>Runs <paramref name="call"/>: the one guarded path into the guest.</summary>
    /// <remarks>
    /// Under the gate: the call's own checks, then a refusal if the instance is disposed or faulted, the call's
    /// limits armed, the guest entered, and a trap, timeout or mid-call cancellation mapped to the library's
    /// exception and recorded as the instance's fault.
    /// </remarks>
    public TResult Call<TCall, TResult>(ref TCall call)
        where TCall : struct, IGuestCall<TResult>
    {
        // Never ignore a token silently, whichever front door it came through (a GetFunction delegate checks when it is
        // bound, a binding's trailing token and a nested call's arrive here): code without interruption checks cannot
        // honor it, and nothing would even see it canceled before the guest ran.
        if (call.CancellationToken.CanBeCanceled && !IsInterruptible)
        {
            ThrowHelper.ThrowNotInterruptible(call.Export, Owner);
        }

        using (_gate.Enter())
        {
            if (!call.Prepare(this, out TResult result))
            {
                return result;
            }

            ThrowIfUnusable();
            bool nested = _depth != 0 && _limits.BeginNested(call.CancellationToken);
            if (_depth == 0)
            {
                _limits.Begin(call.CancellationToken);
            }

            _depth++;
            long started = WasmMetrics.CallStarted(); // 0, and no clock read, while nobody listens
            bool returned = false;
            try
            {
                result = call.Invoke(this);
                returned = true;
            }
            catch (WasmtimeException ex)
            {
                Exception? host = _hostFailure;
                bool refused = _hostRefused;
                (_hostFailure, _hostRefused) = (null, false);

                // Faulted before anything is measured: a meter listener that throws must not leave the instance usable.
                throw Trapped(call.Export, Fault(_limits.Failed(call.Export, ex, host, refused, FaultOrNull)));
            }
            finally
            {
                _depth--;
                if (nested)
                {
                    _limits.EndNested();
                }

                if (!returned)
                {
                    CallEnded(call.Export, started);
                }
            }

            CallReturned(call.Export, started, result);
            return result;
        }
    }

    /// <summary>Records what a host function threw before its trap unwinds to the call in progress; only from inside a call.</summary>
    /// <param name="exception">What the host function threw, or the library's refusal to return into a faulted instance.</param>
    /// <param name="refused"><paramref name="exception"/> is that refusal (<see cref="Imports.HostCallScope.ThrowIfFaulted"/>), which the call reports as it is.</param>
    internal void RecordHostFailure(Exception exception, bool refused = false) => (_hostFailure, _hostRefused) = (exception, refused);

    /// <summary>Binds export <paramref name="name"/>, checking that it has exactly this signature.</summary>
    /// <exception cref="WasmContractException">It is missing or has another signature.</exception>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    public GuestFunction Bind(string name, WasmSignature signature)
    {
        // Looking an export up uses the store, so it waits for a call in progress on another thread.
        using (_gate.Enter())
        {
            ThrowIfDisposed();
            return GuestFunction.Bind(_store, _limits, Instance, Module, name, signature);
        }
    }

    /// <summary>Records <paramref name="fault"/> as the reason every further call is refused, and returns it.</summary>
    public Exception Fault(Exception fault)
    {
        if (Interlocked.CompareExchange(ref _fault, fault, null) is null)
        {
            WasmMetrics.Faulted(MetricName);
        }

        return fault;
    }

    /// <summary>Throws unless calls into the guest are allowed.</summary>
    public void ThrowIfUnusable()
    {
        ThrowIfDisposed();
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw new WasmModuleFaultedException(fault);
        }
    }

    /// <exception cref="InvalidOperationException">Called from a host function, inside a call into this instance.</exception>
    public void Dispose()
    {
        using (_gate.Enter())
        {
            if (_disposed)
            {
                return;
            }

            // Only the thread inside a call can hold the gate here: a host function. Freeing the store under the
            // guest frames still on its stack would crash the process.
            if (_depth > 0)
            {
                throw new InvalidOperationException("A host function cannot dispose the module that is calling it; dispose it after the call returns.");
            }

            _disposed = true;
            Interlocked.MemoryBarrier();

            // Accesses are bounded copies; wait for those already inside before the memory goes away.
            var spin = default(SpinWait);
            while (Volatile.Read(ref _accesses) != 0)
            {
                spin.SpinOnce();
            }

            _store.Dispose();
            _memory.Dispose();
            if (_tickedEngine is not null)
            {
                EpochTicker.Detach(_tickedEngine);
            }
        }
    }

    /// <summary>Attaches the heap; once, by <see cref="Loading.Instantiation"/>.</summary>
    internal void AttachHeap(GuestHeap heap) => Heap = heap;

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ThrowModuleDisposed(Owner);
        }
    }
}
