using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>
/// Up to a fixed number of hosts of one compiled module, rented one per concurrent caller: each call on a host is
/// serialized, so a service serves N requests at once from N hosts.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Rent"/> and <see cref="RentAsync"/> hand out an idle host, or instantiate one while fewer than
/// <see cref="MaxHosts"/> exist, or wait for a lease to come back. What a returned host becomes is the
/// pool's <see cref="WasmHostReuse"/>: a fresh instance per lease by default. A host that faulted (trapped, timed
/// out, was canceled mid-call) is never handed out again: it is disposed, and the slot instantiates a new one.
/// So is a host returned with buffers still alive, whose buffers then report <see cref="WasmBuffer{T}.IsDisposed"/>:
/// reusing it would let the old lease's buffers write into the next lease's memory; and, with
/// <see cref="WasmHostReuse.WhenClean"/>, one whose state the pool cannot vouch for (memory grown, an exported table
/// changed, a WASI descriptor opened or closed: see <see cref="WasmHostReuse.WhenClean"/>).
/// </para>
/// <para>
/// Disposing the pool disposes its idle hosts and wakes every waiting rent with <see cref="ObjectDisposedException"/>;
/// leases already out keep working until they are returned, and their hosts are disposed then. The pool does not
/// own the module it instantiates.
/// </para>
/// </remarks>
public sealed class WasmHostPool : IDisposable
{
    private readonly Func<WasmHost> _create;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Stack<WasmHost> _idle = new();

    // WhenClean: each host's state when it was made, which a returned host must still match to be kept.
    private readonly ConditionalWeakTable<WasmHost, HostState> _baselines = new();
    private bool _disposed;
    private int _leased;
    private int _notVouchedFor;

    /// <summary>Creates a pool of up to <paramref name="maxHosts"/> hosts of <paramref name="module"/>, each instantiated with <paramref name="options"/> and the detected allocator contract when first needed (the 0.3.0 signature, kept for compiled callers).</summary>
    /// <param name="module">The compiled module; not owned by the pool. Disposing it while the pool lives makes later instantiations throw.</param>
    /// <param name="maxHosts">The most hosts alive at once, leased or idle: how many callers are served at the same time.</param>
    /// <param name="options">Limits, WASI grants and host functions of every host, or <see langword="null"/> for none.</param>
    /// <param name="reuse">What becomes of a host when its lease is returned: a fresh instance per lease by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHosts"/> is less than 1, or <paramref name="reuse"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks for what the module was not compiled for (see <see cref="WasmModule.Instantiate"/>).</exception>
    public WasmHostPool(WasmModule module, int maxHosts, WasmHostOptions? options, WasmHostReuse reuse)
        : this(Instantiator(module, options, contract: null), maxHosts, reuse)
    {
    }

    /// <summary>
    /// Creates a pool of up to <paramref name="maxHosts"/> hosts of <paramref name="module"/>, each instantiated with
    /// <paramref name="options"/> and <paramref name="contract"/> when first needed.
    /// </summary>
    /// <param name="module">The compiled module; not owned by the pool. Disposing it while the pool lives makes later instantiations throw.</param>
    /// <param name="maxHosts">The most hosts alive at once, leased or idle: how many callers are served at the same time.</param>
    /// <param name="options">Limits, WASI grants and host functions of every host, or <see langword="null"/> for none.</param>
    /// <param name="reuse">What becomes of a host when its lease is returned: a fresh instance per lease by default.</param>
    /// <param name="contract">The allocator exports every host uses (<see cref="AllocatorContract.Custom"/> for a module whose allocator is not detected), or <see langword="null"/> to detect them once per module.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHosts"/> is less than 1, or <paramref name="reuse"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks for what the module was not compiled for (see <see cref="WasmModule.Instantiate"/>).</exception>
    public WasmHostPool(WasmModule module, int maxHosts, WasmHostOptions? options = null, WasmHostReuse reuse = WasmHostReuse.Never, AllocatorContract? contract = null)
        : this(Instantiator(module, options, contract), maxHosts, reuse)
    {
    }

    /// <summary>Creates a pool whose hosts come from <paramref name="create"/>: the core, for tests.</summary>
    internal WasmHostPool(Func<WasmHost> create, int maxHosts, WasmHostReuse reuse)
    {
        if (maxHosts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxHosts), maxHosts, "A pool holds at least one host.");
        }

        if (reuse is not WasmHostReuse.Never and not WasmHostReuse.WhenClean)
        {
            throw new ArgumentOutOfRangeException(nameof(reuse), reuse, "Use WasmHostReuse.Never or WasmHostReuse.WhenClean.");
        }

        (_create, MaxHosts, Reuse) = (create, maxHosts, reuse);
        _slots = new SemaphoreSlim(maxHosts, maxHosts);
    }

    /// <summary>Gets the most hosts the pool keeps alive at once.</summary>
    public int MaxHosts { get; }

    /// <summary>Gets what becomes of a host when its lease is returned.</summary>
    public WasmHostReuse Reuse { get; }

    /// <summary>Gets the number of leases out now.</summary>
    public int LeasedHosts => Volatile.Read(ref _leased);

    /// <summary>Gets how many returned hosts, clean otherwise, were disposed because the pool could not vouch for their state (<see cref="WasmHostReuse.WhenClean"/>); for tests.</summary>
    internal int HostsNotVouchedFor => Volatile.Read(ref _notVouchedFor);

    /// <summary>Gets the number of idle hosts ready to be rented without instantiating.</summary>
    public int IdleHosts
    {
        get
        {
            lock (_idle)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Rents a host, waiting while <see cref="MaxHosts"/> leases are out.</summary>
    /// <param name="cancellationToken">Stops the wait; it does not reach calls made on the host.</param>
    /// <returns>A lease the caller must dispose to return the host.</returns>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was canceled before a host was free; or, instantiating a new host, the options'
    /// <see cref="WasmHostOptions.LoadCancellationToken"/> was canceled before or while its load-time guest code ran.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed, before or during the wait; or the module it instantiates from has been.</exception>
    /// <exception cref="TimeoutException">Instantiating a new host, guest code run while loading (a start function, the allocator ABI check) ran past <see cref="WasmHostOptions.CallTimeout"/>; the slot stays free.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Instantiating a new host, an option is out of range for the module (a <see cref="InstanceOptions.MaxMemoryBytes"/> below its initial memory); the slot stays free.</exception>
    /// <exception cref="WasmSharedMemoryException">
    /// Instantiating a new host failed otherwise (see <see cref="WasmModule.Instantiate"/>): a <see cref="WasmTrapException"/>,
    /// <see cref="WasmContractException"/> or <see cref="WasmOutOfMemoryException"/>, a reactor's <c>_initialize</c> that
    /// failed, a preopened directory that does not exist; the slot stays free.
    /// </exception>
    public WasmHostLease Rent(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (!_slots.Wait(0))
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            try
            {
                _slots.Wait(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // The wait's token is linked: report the caller's own token, or the pool's disposal.
                cancellationToken.ThrowIfCancellationRequested();
                ThrowDisposed();
            }
        }

        return Lease();
    }

    /// <summary>Rents a host, waiting asynchronously while <see cref="MaxHosts"/> leases are out.</summary>
    /// <param name="cancellationToken">Stops the wait; it does not reach calls made on the host.</param>
    /// <returns>A lease the caller must dispose to return the host.</returns>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was canceled before a host was free; or, instantiating a new host, the options'
    /// <see cref="WasmHostOptions.LoadCancellationToken"/> was canceled before or while its load-time guest code ran.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed, before or during the wait; or the module it instantiates from has been.</exception>
    /// <exception cref="TimeoutException">Instantiating a new host, guest code run while loading (a start function, the allocator ABI check) ran past <see cref="WasmHostOptions.CallTimeout"/>; the slot stays free.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Instantiating a new host, an option is out of range for the module (a <see cref="InstanceOptions.MaxMemoryBytes"/> below its initial memory); the slot stays free.</exception>
    /// <exception cref="WasmSharedMemoryException">
    /// Instantiating a new host failed otherwise (see <see cref="WasmModule.Instantiate"/>): a <see cref="WasmTrapException"/>,
    /// <see cref="WasmContractException"/> or <see cref="WasmOutOfMemoryException"/>, a reactor's <c>_initialize</c> that
    /// failed, a preopened directory that does not exist; the slot stays free.
    /// </exception>
    public Task<WasmHostLease> RentAsync(CancellationToken cancellationToken = default)
    {
        // Failures come back in the task, as from any asynchronous method; a free slot completes it at once.
        try
        {
            ThrowIfDisposed();
            cancellationToken.ThrowIfCancellationRequested();
            return _slots.Wait(0) ? Task.FromResult(Lease()) : RentWhenFreeAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<WasmHostLease>(ex);
        }
    }

    /// <summary>Disposes the idle hosts and wakes every waiting rent; leases out keep their hosts until returned.</summary>
    public void Dispose()
    {
        WasmHost[] idle;
        lock (_idle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = _idle.ToArray();
            _idle.Clear();
        }

        _disposing.Cancel();
        foreach (WasmHost host in idle)
        {
            host.Dispose();
        }
    }

    /// <summary>Takes back a leased host: keeps it idle if the pool reuses clean hosts and this one is, else disposes it.</summary>
    internal void Return(WasmHost host)
    {
        try
        {
            bool keep = Reuse == WasmHostReuse.WhenClean && !host.IsFaulted && !host.Guest.IsDisposed && host.LiveBuffers == 0;
            if (keep && !Vouches(host))
            {
                keep = false;
                Interlocked.Increment(ref _notVouchedFor);
            }

            if (keep)
            {
                lock (_idle)
                {
                    if (!_disposed)
                    {
                        _idle.Push(host);
                        return;
                    }
                }
            }

            host.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _leased);
            _slots.Release();
        }
    }

    private static Func<WasmHost> Instantiator(WasmModule module, WasmHostOptions? options, AllocatorContract? contract)
    {
        if (module is null)
        {
            throw new ArgumentNullException(nameof(module));
        }

        // Refused here rather than at the first rent: a pool that can never hand out a host is a mistake to report early.
        module.CheckAgainstOptions(options);
        return () => module.Instantiate(contract, options);
    }

    private async Task<WasmHostLease> RentWhenFreeAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            await _slots.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowDisposed();
        }

        return Lease();
    }

    /// <summary>With a slot taken: an idle host, or a new one. Gives the slot back if it cannot hand one out.</summary>
    private WasmHostLease Lease()
    {
        try
        {
            WasmHost? host;
            lock (_idle)
            {
                if (_disposed)
                {
                    ThrowDisposed();
                }

                // Idle hosts were clean when returned; nothing calls them while idle, so they still are.
                host = _idle.Count > 0 ? _idle.Pop() : null;
            }

            host ??= Create();
            Interlocked.Increment(ref _leased);
            return new WasmHostLease(this, host);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Instantiates a host; for <see cref="WasmHostReuse.WhenClean"/>, records the state it starts in.</summary>
    private WasmHost Create()
    {
        WasmHost host = _create();
        if (Reuse == WasmHostReuse.WhenClean)
        {
            try
            {
                _baselines.Add(host, HostState.Capture(host.Guest));
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }

        return host;
    }

    /// <summary>
    /// Whether a returned host is in the state it started in, as far as the pool can see: memory not grown, exported
    /// tables unchanged, the same WASI descriptors. A host it cannot look at (the look failed) is not vouched for.
    /// </summary>
    private bool Vouches(WasmHost host)
    {
        try
        {
            return _baselines.TryGetValue(host, out HostState? baseline) && baseline.Differs(HostState.Capture(host.Guest, baseline)) is null;
        }
        catch (Exception)
        {
            // Faulted or disposed meanwhile, a census that trapped, a meter listener that threw: replace the host.
            return false;
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed))
        {
            ThrowDisposed();
        }
    }

    private static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(WasmHostPool), "The pool has been disposed.");
}
