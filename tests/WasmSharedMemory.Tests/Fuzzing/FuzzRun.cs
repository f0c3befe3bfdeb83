using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>Serves one input on <paramref name="host"/>; the longest single guest call it made goes to <paramref name="longestCall"/>.</summary>
/// <returns>The outcome; an exception other than the documented ones escapes, for the run to report.</returns>
internal delegate TOutcome FuzzServe<TOutcome>(WasmHost host, byte[] input, string origin, out TimeSpan longestCall);

/// <summary>
/// Feeds inputs <c>0 … count − 1</c> of a seed through a <see cref="WasmHostPool"/> from one thread per host, and
/// checks every promise on every request: a documented outcome, no call past its deadline by more than the
/// allowance, a faulted host never rented again, every buffer disposed before the host goes back.
/// </summary>
/// <typeparam name="TOutcome">How a request can end.</typeparam>
internal class FuzzRun<TOutcome>
    where TOutcome : struct, Enum
{
    private readonly WasmHostPool _pool;
    private readonly TimeSpan _callTimeout;
    private readonly TimeSpan _allowance;
    private readonly Func<int, long, (byte[] Input, string Origin)> _make;
    private readonly FuzzServe<TOutcome> _serve;
    private readonly Func<TOutcome, bool> _faults;
    private readonly ConditionalWeakTable<WasmHost, StrongBox<long>> _seen = new();
    private readonly ConditionalWeakTable<WasmHost, object> _faulted = new();

    /// <param name="make">Makes input <c>index</c> of a seed, and names what it came from.</param>
    /// <param name="faults">Whether an outcome faults the host (a trap, a timeout): the host must say so, and never come back.</param>
    /// <param name="allowance">How far past <paramref name="callTimeout"/> a call may end.</param>
    public FuzzRun(
        WasmHostPool pool,
        TimeSpan callTimeout,
        TimeSpan allowance,
        FuzzStats<TOutcome> stats,
        Func<int, long, (byte[] Input, string Origin)> make,
        FuzzServe<TOutcome> serve,
        Func<TOutcome, bool> faults)
    {
        (_pool, _callTimeout, _allowance, _make, _serve, _faults) = (pool, callTimeout, allowance, make, serve, faults);
        Stats = stats;
    }

    public FuzzStats<TOutcome> Stats { get; }

    /// <summary>Gets or sets a folder to write every input to (<c>index.bin</c>), for a native comparison; <see langword="null"/> for none.</summary>
    public string? DumpDirectory { get; init; }

    /// <summary>Serves inputs <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of <paramref name="seed"/>.</summary>
    public void Run(int seed, long first, long count, int threads)
    {
        long next = first - 1;
        long end = first + count;
        var started = Stopwatch.StartNew();
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                for (long index = Interlocked.Increment(ref next); index < end; index = Interlocked.Increment(ref next))
                {
                    One(seed, index);
                }
            });
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        Stats.Elapsed += started.Elapsed;
    }

    /// <summary>Serves one input and checks what the library promises about it; <see langword="false"/> if a promise broke.</summary>
    public bool One(int seed, long index)
    {
        (byte[] input, string origin) = _make(seed, index);
        if (DumpDirectory is not null)
        {
            File.WriteAllBytes(Path.Combine(DumpDirectory, $"{index:D7}.bin"), input);
        }

        string where = $"seed {seed} index {index} (from {origin}, {input.Length} bytes)";
        WasmHostLease lease;
        try
        {
            lease = PoolRent.Retrying(_pool, Stats.CountRentTimeout);
        }
        catch (InvalidOperationException ex)
        {
            return Fail($"{where}: {ex.Message}");
        }

        using WasmHostLease leased = lease;
        WasmHost host = lease.Host;
        if (_faulted.TryGetValue(host, out _) || host.IsFaulted)
        {
            return Fail($"{where}: the pool handed out a host that had faulted");
        }

        // A host is first seen as the pool made it (a reused one was checked back to that state), so its memory's size now is its starting size.
        if (!_seen.TryGetValue(host, out StrongBox<long>? startingSize))
        {
            startingSize = new StrongBox<long>(host.Memory.Length);
            _seen.AddOrUpdate(host, startingSize);
            Stats.CountHost();
        }

        TOutcome outcome;
        TimeSpan longestCall;
        try
        {
            outcome = _serve(host, input, origin, out longestCall);
        }
        catch (WrongResultException ex)
        {
            return Fail($"{where}: wrong result: {ex.Message}");
        }
        catch (Exception ex)
        {
            return Fail($"{where}: undocumented {ex.GetType().FullName}: {ex.Message}");
        }

        Stats.Count(outcome, longestCall);
        bool faults = _faults(outcome);
        if (faults)
        {
            _faulted.AddOrUpdate(host, this);
        }

        if (host.IsFaulted != faults)
        {
            return Fail($"{where}: {outcome}, but the host {(host.IsFaulted ? "faulted" : "did not fault")}");
        }

        if (longestCall > _callTimeout + _allowance)
        {
            return Fail($"{where}: {outcome} after a call of {longestCall.TotalMilliseconds:F1} ms, past the {_callTimeout.TotalMilliseconds} ms CallTimeout by more than {_allowance.TotalMilliseconds} ms");
        }

        if (host.Guest.Heap.UndisposedBuffers != 0 || host.LiveBuffers != 0)
        {
            return Fail($"{where}: {outcome} left {host.Guest.Heap.UndisposedBuffers} buffers undisposed");
        }

        // WasmHostReuse.WhenClean replaces a host whose memory grew past its starting size, as it does a faulted one.
        if (!faults && host.Memory.Length > startingSize.Value)
        {
            Stats.CountGrown();
        }

        return true;
    }

    /// <summary>Records a broken promise the serve found itself (a wrong result); <see langword="false"/>, for its caller to return.</summary>
    public bool Fail(string failure)
    {
        Stats.Fail(failure);
        return false;
    }
}
