using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The shared word of <see cref="CallGate"/>: what every thread takes once the gate is no longer biased to one.
/// Entering is one compare-exchange of the owner word, leaving a plain store and a read of the sleeper count.
/// </summary>
/// <remarks>
/// <para>
/// A thread that finds the word held spins briefly, then sleeps on a monitor until a leaving holder wakes it.
/// Leaving stores the owner word and then reads the sleeper count with no fence between them, which the
/// processor may reorder; a sleeper therefore counts itself and then forces every thread's pending stores out
/// with a process-wide barrier before it tries the word a last time, so either it sees the word free or the
/// holder sees it counted and wakes it. (netstandard2.0 has no such barrier: there leaving is an interlocked
/// exchange, a full fence.) A sleep is also bounded, so even a missed wake-up would only delay the sleeper.
/// </para>
/// <para>
/// A holder that leaves and enters again at once could keep a sleeper out for ever (each wake-up finding the word
/// taken again). A woken sleeper that loses asks for a hand-off: the next holder to leave passes the word to a
/// sleeper directly instead of freeing it, as <c>System.Threading.Lock</c> does for a starving waiter.
/// </para>
/// </remarks>
internal sealed partial class CallGate
{
    /// <summary>The owner word while it passes from a leaving holder to a woken sleeper.</summary>
    private const int HandedOff = -1;

    /// <summary>How long a sleeper sleeps before it looks at the gate again, whether woken or not.</summary>
    private const int SleepMilliseconds = 10;

    private readonly object _sleep = new();

    // The managed thread id of the holder (ids are positive), 0 when free, or HandedOff.
    private int _owner;

    // Written only by the holder: how many more times it entered than it left.
    private int _reentries;

    // Written under _sleep: threads inside Sleep. Read by a leaving holder without it.
    private int _sleepers;

    // Set by a sleeper that was woken and found the gate taken; the next holder to leave hands the gate over.
    private int _starving;

    /// <summary>Takes the shared word, waiting while another thread holds it; its holder enters again at once.</summary>
    private void EnterShared(int thread)
    {
        int owner = Interlocked.CompareExchange(ref _owner, thread, 0);
        if (owner != 0)
        {
            EnterContended(thread, owner);
        }
    }

    /// <summary>Leaves the shared word once; only its holder may call it, once per <see cref="EnterShared"/>.</summary>
    private void ExitShared()
    {
        if (_reentries != 0)
        {
            _reentries--;
            return;
        }

        if (Volatile.Read(ref _starving) != 0)
        {
            HandOff();
            return;
        }

#if NETSTANDARD2_0
        Interlocked.Exchange(ref _owner, 0);
#else
        Volatile.Write(ref _owner, 0);
#endif
        if (Volatile.Read(ref _sleepers) != 0)
        {
            Wake();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended(int thread, int owner)
    {
        if (owner == thread)
        {
            // A host function calling back in, on the thread whose call led to it.
            _reentries++;
            return;
        }

        // Most holds are one short call: spinning a little costs less than a sleep and a wake-up.
        var spin = default(SpinWait);
        while (!spin.NextSpinWillYield)
        {
            spin.SpinOnce();
            if (Volatile.Read(ref _owner) == 0 && Interlocked.CompareExchange(ref _owner, thread, 0) == 0)
            {
                return;
            }
        }

        Sleep(thread);
    }

    private void Sleep(int thread)
    {
        lock (_sleep)
        {
            _sleepers++;
            try
            {
#if !NETSTANDARD2_0
                // Counted before the last try: Exit's store of a free gate and its read of the count may be
                // reordered, and this makes either that store visible to the try below or the count to that read.
                Interlocked.MemoryBarrierProcessWide();
#endif
                bool woken = false;
                while (Interlocked.CompareExchange(ref _owner, thread, 0) != 0)
                {
                    // Only a thread that has slept takes a handed-off gate: it is meant for those kept waiting.
                    if (woken && Interlocked.CompareExchange(ref _owner, thread, HandedOff) == HandedOff)
                    {
                        Volatile.Write(ref _starving, 0);
                        return;
                    }

                    if (woken)
                    {
                        Volatile.Write(ref _starving, 1);
                    }

                    Monitor.Wait(_sleep, SleepMilliseconds);
                    woken = true;
                }
            }
            finally
            {
                _sleepers--;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Wake()
    {
        lock (_sleep)
        {
            Monitor.Pulse(_sleep);
        }
    }

    /// <summary>Leaves the gate to a sleeper, so a thread that keeps entering cannot keep it out.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void HandOff()
    {
        lock (_sleep)
        {
            if (_sleepers == 0)
            {
                Volatile.Write(ref _starving, 0);
                Interlocked.Exchange(ref _owner, 0);
                return;
            }

            // Every sleeper tries a handed-off gate whenever it wakes, so one of them takes it even if this
            // pulse reaches none (each already awake and waiting for _sleep).
            Interlocked.Exchange(ref _owner, HandedOff);
            Monitor.Pulse(_sleep);
        }
    }
}
