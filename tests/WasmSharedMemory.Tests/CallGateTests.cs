using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The gate every call into a guest takes (<see cref="CallGate"/>): re-entrant on its thread, exclusive across
/// threads both while biased to its first thread and after another thread revoked that, never losing a sleeper's
/// wake-up, and never keeping a sleeper out behind a thread that re-enters at once.
/// The module-level guarantees it carries are pinned by the thread stress, concurrency and dispose-race tests.
/// </summary>
public sealed class CallGateTests : LeakCheckedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Enter_OnTheHoldingThread_ReentersAndHoldsUntilTheOutermostLeaves(bool revoked)
    {
        CallGate gate = NewGate(revoked);
        using (gate.Enter())
        {
            using (gate.Enter())
            {
                using (gate.Enter())
                {
                    Assert.True(gate.IsHeldByCurrentThread);
                }
            }

            Assert.True(gate.IsHeldByCurrentThread);
            Assert.False(EntersFromAnotherThreadWithin(gate, TimeSpan.FromMilliseconds(100)));
        }

        Assert.False(gate.IsHeldByCurrentThread);
        Assert.True(EntersFromAnotherThreadWithin(gate, Patience));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Enter_WhileAnotherThreadHolds_BlocksUntilItLeaves(bool revoked)
    {
        CallGate gate = NewGate(revoked);
        using var entered = new ManualResetEventSlim();
        Task waiter;
        using (gate.Enter())
        {
            waiter = Task.Factory.StartNew(
                () =>
                {
                    using (gate.Enter())
                    {
                        entered.Set();
                    }
                },
                TaskCreationOptions.LongRunning);

            // Long enough for the waiter to spin out and go to sleep (or, biased, to wait out this hold).
            Assert.False(entered.Wait(TimeSpan.FromMilliseconds(200)));
        }

        Assert.True(entered.Wait(Patience), "the waiting thread did not get in once the gate was left");
        await waiter;
    }

    [Fact]
    public async Task FreshGates_RacedByTwoThreadsFromTheFirstEntry_LoseNoUpdate()
    {
        // The bias goes to whichever thread enters first and is revoked by the other, possibly mid-hold.
        const int Gates = 300;
        const int Iterations = 200;
        for (int g = 0; g < Gates; g++)
        {
            var gate = new CallGate();
            long counter = 0;
            using var start = new Barrier(2);
            Task[] racers = new Task[2];
            for (int r = 0; r < racers.Length; r++)
            {
                racers[r] = Task.Factory.StartNew(
                    () =>
                    {
                        start.SignalAndWait();
                        for (int i = 0; i < Iterations; i++)
                        {
                            using (gate.Enter())
                            {
                                long value = counter;
                                Thread.SpinWait(i % 7);
                                counter = value + 1;
                            }
                        }
                    },
                    TaskCreationOptions.LongRunning);
            }

            await Task.WhenAll(racers);
            Assert.Equal(2L * Iterations, counter);
        }
    }

    [Fact]
    public async Task ManyThreads_ReadModifyWriteUnderTheGate_LoseNoUpdate()
    {
        var gate = new CallGate();
        int workers = Math.Max(4, Environment.ProcessorCount * 2);
        const int Iterations = 20_000;
        long counter = 0;
        using var start = new Barrier(workers);
        Task[] tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            tasks[w] = Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    for (int i = 0; i < Iterations; i++)
                    {
                        using (gate.Enter())
                        {
                            // Unsynchronized on purpose, with a nested entry and a yield now and then, so any
                            // overlap loses an update and some holders are preempted inside.
                            using (gate.Enter())
                            {
                                long value = counter;
                                if (i % 512 == 0)
                                {
                                    Thread.Yield();
                                }

                                counter = value + 1;
                            }
                        }
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        Task all = Task.WhenAll(tasks);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(2))));
        await all;
        Assert.Equal((long)workers * Iterations, counter);
    }

    [Fact]
    public async Task Sleeper_AgainstAThreadThatLeavesAndEntersAgainAtOnce_GetsTheGate()
    {
        CallGate gate = NewGate(revoked: true);
        using var stop = new CancellationTokenSource();
        using var hot = new ManualResetEventSlim();
        Task hammer = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using (gate.Enter())
                    {
                        hot.Set();
                    }
                }
            },
            TaskCreationOptions.LongRunning);

        try
        {
            Assert.True(hot.Wait(Patience));
            for (int round = 0; round < 20; round++)
            {
                var stopwatch = Stopwatch.StartNew();
                Assert.True(EntersFromAnotherThreadWithin(gate, TimeSpan.FromSeconds(5)), $"round {round}: kept out for {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
        }
        finally
        {
            stop.Cancel();
            await hammer;
        }
    }

    /// <summary>
    /// The first contention on a biased gate: before the fix TryEnter revoked the bias by waiting in Enter until the
    /// biased thread's whole call ended. Now it returns false at once, and exclusion still holds: the next thread to
    /// take the gate waits for the biased thread, and gets in once it leaves.
    /// </summary>
    [Fact]
    public void TryEnter_WhileTheBiasedThreadIsInsideItsFirstCall_ReturnsFalseAtOnceAndExclusionHolds()
    {
        CallGate gate = NewGate(revoked: false);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Thread holder = StartThread(() =>
        {
            using (gate.Enter())
            {
                entered.Set();
                release.Wait();
            }
        });
        Assert.True(entered.Wait(Patience));

        bool got = true;
        Thread trier = StartThread(() =>
        {
            got = gate.TryEnter(out CallGate.Scope scope);
            if (got)
            {
                scope.Dispose();
            }
        });
        bool returned = trier.Join(TimeSpan.FromSeconds(10));
        bool excluded = !EntersFromAnotherThreadWithin(gate, TimeSpan.FromMilliseconds(200));
        release.Set();
        Assert.True(holder.Join(Patience));
        Assert.True(trier.Join(Patience));

        Assert.True(returned, "TryEnter waited for the biased thread's call to end.");
        Assert.False(got);
        Assert.True(excluded, "A thread entered beside the biased one.");
        Assert.True(EntersFromAnotherThreadWithin(gate, Patience));
        Assert.True(gate.TryEnter(out CallGate.Scope mine));
        mine.Dispose();
    }

    private static Thread StartThread(Action work)
    {
        var thread = new Thread(() => work()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>A new gate; revoked: another thread has entered it once, so its bias is gone and every thread takes the shared word.</summary>
    private static CallGate NewGate(bool revoked)
    {
        var gate = new CallGate();
        if (revoked)
        {
            Assert.True(EntersFromAnotherThreadWithin(gate, Patience));
            using (gate.Enter())
            {
                // This thread is not the one the gate was biased to, so this entry revoked the bias.
            }
        }

        return gate;
    }

    /// <summary>Enters and leaves on a new thread; whether that happened within <paramref name="timeout"/>.</summary>
    private static bool EntersFromAnotherThreadWithin(CallGate gate, TimeSpan timeout)
    {
        // Not disposed when the thread is still waiting: it sets the event once it gets in.
        var entered = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            using (gate.Enter())
            {
                entered.Set();
            }
        })
        { IsBackground = true };
        thread.Start();
        if (!entered.Wait(timeout))
        {
            return false;
        }

        thread.Join();
        entered.Dispose();
        return true;
    }
}
