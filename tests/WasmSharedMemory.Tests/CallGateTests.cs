using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The gate every call into a guest takes (<see cref="CallGate"/>): re-entrant on its thread, exclusive across
/// threads, never losing a sleeper's wake-up, and never keeping a sleeper out behind a thread that re-enters at once.
/// The module-level guarantees it carries are pinned by the thread stress, concurrency and dispose-race tests.
/// </summary>
public sealed class CallGateTests : LeakCheckedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Enter_OnTheHoldingThread_ReentersAndHoldsUntilAsManyExits()
    {
        var gate = new CallGate();
        gate.Enter();
        gate.Enter();
        gate.Enter();
        gate.Exit();
        gate.Exit();
        Assert.True(gate.IsHeldByCurrentThread);
        Assert.False(EntersFromAnotherThreadWithin(gate, TimeSpan.FromMilliseconds(100)));

        gate.Exit();
        Assert.False(gate.IsHeldByCurrentThread);
        Assert.True(EntersFromAnotherThreadWithin(gate, Patience));
    }

    [Fact]
    public async Task Enter_WhileAnotherThreadHolds_BlocksUntilItLeaves()
    {
        var gate = new CallGate();
        gate.Enter();
        using var entered = new ManualResetEventSlim();
        Task waiter = Task.Factory.StartNew(
            () =>
            {
                gate.Enter();
                entered.Set();
                gate.Exit();
            },
            TaskCreationOptions.LongRunning);

        // Long enough for the waiter to spin out and go to sleep.
        Assert.False(entered.Wait(TimeSpan.FromMilliseconds(200)));
        gate.Exit();
        Assert.True(entered.Wait(Patience), "the sleeper was not woken when the gate was left");
        await waiter;
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
                        gate.Enter();
                        try
                        {
                            // Unsynchronized on purpose, with a nested entry and a yield now and then, so any
                            // overlap loses an update and some holders are preempted inside.
                            gate.Enter();
                            long value = counter;
                            if (i % 512 == 0)
                            {
                                Thread.Yield();
                            }

                            counter = value + 1;
                            gate.Exit();
                        }
                        finally
                        {
                            gate.Exit();
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
        var gate = new CallGate();
        using var stop = new CancellationTokenSource();
        using var hot = new ManualResetEventSlim();
        Task hammer = Task.Factory.StartNew(
            () =>
            {
                gate.Enter();
                hot.Set();
                while (!stop.IsCancellationRequested)
                {
                    gate.Exit();
                    gate.Enter();
                }

                gate.Exit();
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

    /// <summary>Enters and leaves on a new thread; whether that happened within <paramref name="timeout"/>.</summary>
    private static bool EntersFromAnotherThreadWithin(CallGate gate, TimeSpan timeout)
    {
        // Not disposed when the thread is still waiting: it sets the event once it gets in.
        var entered = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            gate.Enter();
            entered.Set();
            gate.Exit();
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
