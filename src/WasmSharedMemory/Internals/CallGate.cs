using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The lock every call into a guest takes (<c>using (gate.Enter()) { ... }</c>): re-entrant on the thread that
/// holds it, so a host function may call back in, and blocking for any other thread.
/// </summary>
/// <remarks>
/// <para>
/// Most instances are only ever used from one thread, and a <see cref="Monitor"/> or <c>System.Threading.Lock</c>
/// costs such a call two interlocked instructions (about 11 ns of a 31 ns 16-float <c>Multiply</c>). So the gate
/// is biased to the first thread that enters it: that thread enters by storing a count and reading a flag, with
/// no interlocked instruction. The first time another thread enters, it takes the shared word
/// (<c>CallGate.Shared.cs</c>), sets the revoked flag, waits for the biased thread to leave, and from then on every
/// thread, the first one too, takes the shared word: one compare-exchange to enter, a plain store to leave.
/// </para>
/// <para>
/// <see cref="TryEnter"/> never waits for the biased thread: finding it inside a call, it sets the flag all the
/// same (so the biased thread's next call takes the shared word), lets the word go and returns false. The bias is
/// then revoked but its thread may still be inside, so every holder of the shared word checks the biased thread's
/// count before it goes in, and waits for it only there: a plain read, 0 but for that first contention.
/// </para>
/// <para>
/// The biased thread stores its count and then reads the flag; the revoking thread stores the flag and then reads
/// the count. The processor may let each read pass the store before it, so the revoking thread puts a process-wide
/// barrier (<c>Interlocked.MemoryBarrierProcessWide</c>) between its store and its read: after it, either
/// the biased thread's count is visible, and the revoking thread waits for it to fall to 0, or the biased thread's
/// read comes after the barrier and sees the flag, and it takes the shared word instead. That barrier costs
/// microseconds, once per instance. netstandard2.0 has no such barrier; there the gate starts revoked.
/// </para>
/// </remarks>
internal sealed partial class CallGate
{
    // The calling thread's managed id, read here because Environment.CurrentManagedThreadId is a call the JIT
    // does not inline, and a thread-static of this assembly is one inlined read; 0 until the thread first enters.
    [ThreadStatic]
    private static int t_thread;

    // The thread the gate is biased to: 0 until the first Enter claims it.
    private int _biasedThread;

    // Written only by the biased thread: how deep it is inside the gate by the fast path.
    private int _biasedDepth;

#if NETSTANDARD2_0
    private int _revoked = 1;
#else
    // Set once, holding the shared word: from then on every thread takes the shared word.
    private int _revoked;
#endif

    /// <summary>Gets a value indicating whether the calling thread holds the gate.</summary>
    public bool IsHeldByCurrentThread
    {
        get
        {
            int thread = CurrentThread;
            return (Volatile.Read(ref _biasedThread) == thread && _biasedDepth != 0) || Volatile.Read(ref _owner) == thread;
        }
    }

    /// <summary>Takes the gate, waiting while another thread holds it; the holding thread enters again at once.</summary>
    /// <returns>The hold, to dispose once (a <c>using</c>) on the same thread.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // every call pays it; revoking and waiting are out of line
    public Scope Enter()
    {
        int thread = CurrentThread;
        if (_biasedThread == thread)
        {
            int depth = _biasedDepth;
            Volatile.Write(ref _biasedDepth, depth + 1);

            // Nested: the outer entry already passed the check. Otherwise the revoking thread's barrier makes
            // this read see its flag, or its read see the count just stored (see the remarks).
            if (depth != 0 || Volatile.Read(ref _revoked) == 0)
            {
                return new Scope(this, biased: true);
            }

            Volatile.Write(ref _biasedDepth, 0);
        }

        return EnterUnbiased(thread);
    }

    /// <summary>
    /// Takes the gate if no other thread holds it, without waiting: for a caller with somewhere else to go (a parallel
    /// module's idle instance). The first thread that finds the gate biased to another revokes the bias, but if the
    /// biased thread is inside a call it returns false at once rather than wait for that call to end.
    /// </summary>
    /// <param name="scope">The hold, to dispose once on the same thread; default when this returns false.</param>
    /// <returns>True if the calling thread holds the gate.</returns>
    public bool TryEnter(out Scope scope)
    {
        int thread = CurrentThread;
        if (_biasedThread == thread
            || (Volatile.Read(ref _revoked) == 0 && Volatile.Read(ref _biasedThread) == 0 && Interlocked.CompareExchange(ref _biasedThread, thread, 0) == 0))
        {
            // Its own biased gate, or the first entry of all, which biases the gate to this thread: Enter's fast path.
            int depth = _biasedDepth;
            Volatile.Write(ref _biasedDepth, depth + 1);
            if (depth != 0 || Volatile.Read(ref _revoked) == 0)
            {
                scope = new Scope(this, biased: true);
                return true;
            }

            Volatile.Write(ref _biasedDepth, 0);
        }

        int owner = Volatile.Read(ref _owner);
        if (owner == thread)
        {
            _reentries++;
            scope = new Scope(this, biased: false);
            return true;
        }

        if (owner != 0 || Interlocked.CompareExchange(ref _owner, thread, 0) != 0)
        {
            scope = default;
            return false;
        }

        if (!CloseBias(wait: false))
        {
            // The biased thread is inside a call: the flag stays set, and whoever takes the word next waits for it.
            ExitShared();
            scope = default;
            return false;
        }

        scope = new Scope(this, biased: false);
        return true;
    }

    private static int CurrentThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // a tiny getter on the path every call takes
        get
        {
            int thread = t_thread;
            return thread != 0 ? thread : t_thread = Environment.CurrentManagedThreadId;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Scope EnterUnbiased(int thread)
    {
        if (Volatile.Read(ref _revoked) == 0 && Interlocked.CompareExchange(ref _biasedThread, thread, 0) == 0)
        {
            // The first thread to enter: the gate is now biased to it, unless it was revoked meanwhile.
            return Enter();
        }

        EnterShared(thread);

        // Also once revoked: a TryEnter may have revoked the bias while its thread was inside, and not waited.
        CloseBias(wait: true);
        return new Scope(this, biased: false);
    }

    /// <summary>
    /// Ends the bias, holding the shared word: the biased thread's fast path is closed once the flag is set. Returns
    /// whether the biased thread is outside the gate, waiting for it to leave first when <paramref name="wait"/> is true.
    /// </summary>
    private bool CloseBias(bool wait)
    {
        if (Volatile.Read(ref _revoked) == 0)
        {
            Volatile.Write(ref _revoked, 1);
#if !NETSTANDARD2_0
            Interlocked.MemoryBarrierProcessWide();
#endif
        }

        // After the barrier (ours, or the one of whoever set the flag before this holder took the word) the biased
        // thread's count is visible, or its next read sees the flag and it backs out (see the remarks).
        if (Volatile.Read(ref _biasedDepth) == 0)
        {
            return true;
        }

        if (!wait)
        {
            return false;
        }

        // The biased thread may be inside a call that takes a while: spin briefly, then poll with sleeps. An
        // interrupt must not end the wait (the flag is set: leaving now would let a second thread in beside the
        // biased one), so it is posted again once this thread is in, for its next blocking call.
        var spin = default(SpinWait);
        bool interrupted = false;
        while (Volatile.Read(ref _biasedDepth) != 0)
        {
            if (!spin.NextSpinWillYield)
            {
                spin.SpinOnce();
                continue;
            }

            try
            {
                Thread.Sleep(1);
            }
            catch (ThreadInterruptedException)
            {
                interrupted = true;
            }
        }

        if (interrupted)
        {
            Thread.CurrentThread.Interrupt();
        }

        return true;
    }

    private void Exit(bool biased)
    {
        if (biased)
        {
            Volatile.Write(ref _biasedDepth, _biasedDepth - 1);
        }
        else
        {
            ExitShared();
        }
    }

    /// <summary>One hold of the gate; disposing it leaves the gate.</summary>
    public readonly ref struct Scope
    {
        private readonly CallGate _gate;
        private readonly bool _biased;

        internal Scope(CallGate gate, bool biased) => (_gate, _biased) = (gate, biased);

        /// <summary>Leaves the gate; once, on the thread that entered it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // every call pays it
        public void Dispose() => _gate.Exit(_biased);
    }
}
