using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Feeds inputs <c>0 … count − 1</c> of a seed through a <see cref="WasmHostPool"/> from one thread per host, and
/// checks every promise on every request: a documented outcome, no call past its deadline by more than the
/// allowance, a faulted host never rented again, every buffer disposed before the host goes back.
/// </summary>
internal sealed class StbFuzzRun
{
    private readonly WasmHostPool _pool;
    private readonly TimeSpan _callTimeout;
    private readonly TimeSpan _allowance;
    private readonly ConditionalWeakTable<WasmHost, object> _seen = new();
    private readonly ConditionalWeakTable<WasmHost, object> _faulted = new();

    /// <param name="allowance">How far past <paramref name="callTimeout"/> a call may end.</param>
    public StbFuzzRun(WasmHostPool pool, TimeSpan callTimeout, TimeSpan allowance) =>
        (_pool, _callTimeout, _allowance) = (pool, callTimeout, allowance);

    public StbFuzzStats Stats { get; } = new();

    /// <summary>Gets or sets a folder to write every input to (<c>index.bin</c>), for the native comparison; <see langword="null"/> for none.</summary>
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

        Stats.Elapsed = started.Elapsed;
    }

    /// <summary>Serves one input and checks what the library promises about it; <see langword="false"/> if a promise broke.</summary>
    public bool One(int seed, long index)
    {
        (byte[] input, string origin) = StbMutator.Make(seed, index);
        if (DumpDirectory is not null)
        {
            File.WriteAllBytes(Path.Combine(DumpDirectory, $"{index:D7}.bin"), input);
        }

        string where = $"seed {seed} index {index} (from {origin}, {input.Length} bytes)";
        using WasmHostLease lease = _pool.Rent();
        WasmHost host = lease.Host;
        if (_faulted.TryGetValue(host, out _) || host.IsFaulted)
        {
            return Fail($"{where}: the pool handed out a host that had faulted");
        }

        if (_seen.TryAdd(host, this))
        {
            Stats.CountHost();
        }

        StbOutcome outcome;
        TimeSpan longestCall;
        try
        {
            outcome = StbRequest.Serve(host, input, out longestCall, out _);
        }
        catch (Exception ex)
        {
            return Fail($"{where}: undocumented {ex.GetType().FullName}: {ex.Message}");
        }

        Stats.Count(outcome, longestCall);
        bool faults = outcome is StbOutcome.Trap or StbOutcome.Timeout;
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

        return true;
    }

    private bool Fail(string failure)
    {
        Stats.Fail(failure);
        return false;
    }
}
