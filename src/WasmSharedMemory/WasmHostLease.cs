using System;
using System.Threading;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>A host rented from a <see cref="WasmHostPool"/>; disposing the lease returns the host.</summary>
/// <remarks>
/// A lease is for one thread at a time, like the request it serves. Keep no reference to <see cref="Host"/>, or
/// to buffers allocated from it, past <see cref="Dispose"/>: with <see cref="WasmHostReuse.Never"/> the host is
/// disposed then (its members throw <see cref="ObjectDisposedException"/>), and with
/// <see cref="WasmHostReuse.WhenClean"/> it may already serve another lease.
/// </remarks>
public sealed class WasmHostLease : IDisposable
{
    private WasmHostPool? _pool;
    private WasmHost? _host;

    internal WasmHostLease(WasmHostPool pool, WasmHost host) => (_pool, _host) = (pool, host);

    /// <summary>Gets the rented host.</summary>
    /// <exception cref="ObjectDisposedException">The lease was returned.</exception>
    public WasmHost Host => _host ?? throw new ObjectDisposedException(nameof(WasmHostLease), "The lease was returned to its pool; rent another.");

    /// <summary>Returns the host to the pool: a faulted host, or one still holding buffers, is disposed and replaced. Calling it again does nothing.</summary>
    /// <exception cref="InvalidOperationException">Called from a host function while the rented module is calling it; the lease stays out, to be returned after the call.</exception>
    public void Dispose()
    {
        // From a host function inside a call of this host, returning it would put a host still running into the
        // idle set (WhenClean), or let go of one whose disposal then fails, so it lived on outside the pool's count
        // (Never): refuse before anything changes, and the lease can be returned once the call is over.
        if (Volatile.Read(ref _host) is { } leased && leased.Guest.IsCallingOnCurrentThread)
        {
            ThrowHelper.ThrowLeaseReturnedInsideItsCall();
        }

        WasmHostPool? pool = Interlocked.Exchange(ref _pool, null);
        if (pool is null)
        {
            return;
        }

        WasmHost host = _host!;
        _host = null;
        pool.Return(host);
    }
}
