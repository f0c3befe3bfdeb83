using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using WasmSharedMemory.Tests.ChildProcesses;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Calls a host function makes back into its module (nested calls): their own tokens (issue 21, class 4), a failure
/// the host function catches (class 5), and the call gate under nesting and contention.
/// </summary>
public sealed class NestedCallTests : LeakCheckedTests
{
    /// <summary><c>each(n)</c> calls <c>env.step(i)</c> for i = 0..n-1; <c>quick()</c> is 7; <c>spin()</c> loops; <c>trap()</c> traps; <c>down(n)</c> recurses through <c>env.down</c>.</summary>
    internal const string Imports = """
        (import "env" "step" (func $step (param i32)))
        (import "env" "down" (func $down (param i32) (result i32)))
        """;

    internal const string Exports = """
        (global $steps (export "steps") (mut i32) (i32.const 0))
        (func (export "each") (param $n i32) (local $i i32)
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (call $step (local.get $i))
              (global.set $steps (i32.add (global.get $steps) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
        (func (export "quick") (result i32) (i32.const 7))
        (func (export "spin") (loop $forever (br $forever)))
        (func (export "trap") unreachable)
        (func (export "down") (param $n i32) (result i32)
          (if (result i32) (i32.eqz (local.get $n))
            (then (i32.const 0))
            (else (i32.add (call $down (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
        """;

    internal static readonly string Text = HostModules.Module(HostModules.CMalloc, Exports + WasiPollModule.Exports, imports: Imports + WasiPollModule.Imports);

    // Host frames between nested calls count against the 128 KiB wasm stack: 40 levels exhaust it, 16 leave room.
    private const int Depth = 16;

    private static readonly TimeSpan s_slack = TimeSpan.FromMilliseconds(900);

    // A thread of its own cancels after 100 ms: CancelAfter's timer fires on the thread pool, which other test classes
    // running beside this one can keep busy for seconds, and the bound below is about the library, not the pool.
    /// <summary>The outcome of a task that has finished (tests here wait on threads they started, with a bound, on purpose).</summary>
    private static T Finished<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Finished(Task task) => task.GetAwaiter().GetResult();

    private static void CancelSoon(CancellationTokenSource cancellation) =>
        new Thread(() =>
        {
            Thread.Sleep(100);
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The test ended first (it failed before the wait): nothing left to cancel.
            }
        }) { IsBackground = true }.Start();

    [Fact]
    public void NestedCall_ItsOwnTokenCanceled_StopsTheNestedExport()
    {
        using var cancellation = new CancellationTokenSource();
        using WasmHost host = Load(
            new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(10) }, // only a safety net: the nested token must stop it long before
            h => (int i) =>
            {
                CancelSoon(cancellation);
                h().GetAction("spin", cancellation.Token)();
            });

        var watch = Stopwatch.StartNew();
        var ex = Assert.ThrowsAny<OperationCanceledException>(() => host.GetAction<int>("each")(1));

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(100) + s_slack, $"stopped after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(cancellation.Token, ex.CancellationToken);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void NestedCall_ItsOwnTokenCanceledDuringAWasiSleep_StopsTheSleep()
    {
        using var cancellation = new CancellationTokenSource();
        using WasmHost host = Load(
            new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(10) },
            h => (int i) =>
            {
                CancelSoon(cancellation);
                h().GetFunction<long, int>("sleep", cancellation.Token)(3_000_000_000);
            });

        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => host.GetAction<int>("each")(1));

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(100) + s_slack, $"stopped after {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void NestedCall_ItsTokenAlreadyCanceled_IsRefusedBeforeTheGuestAndTheHostStaysUsable()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        int refused = 0;
        using WasmHost host = Load(
            new WasmHostOptions { CallTimeout = TimeSpan.FromDays(1) }, // interruptible, which a token needs
            h => (int i) =>
            {
                try
                {
                    h().GetAction("spin", cancellation.Token)();
                }
                catch (OperationCanceledException)
                {
                    refused++;
                }
            });

        host.GetAction<int>("each")(3);

        Assert.Equal(3, refused);
        Assert.False(host.IsFaulted);
    }

    /// <summary>No outer limit that matters (a day): only the nested token can end it. In a child process, since a regression runs on.</summary>
    [Fact]
    public void NestedCall_ItsOwnTokenWithNoPracticalOuterLimit_StopsTheNestedExportInsteadOfRunningOn()
    {
        ChildResult child = ChildProcess.Run("nested-token", TimeSpan.FromSeconds(30)).AssertSucceeded();

        Assert.Equal(nameof(OperationCanceledException), child.Value("thrown"));
        Assert.Equal("True", child.Value("faulted"));
        Assert.True(double.Parse(child.Value("ms"), System.Globalization.CultureInfo.InvariantCulture) < 100 + s_slack.TotalMilliseconds, child.Output);
    }

    [Fact]
    public void NestedCallTrapping_CaughtByTheHostFunction_FailsTheOuterCallWithModuleFaulted()
    {
        WasmTrapException? caught = null;
        using WasmHost host = Load(
            null,
            h => (int i) =>
            {
                try
                {
                    h().GetAction("trap")();
                }
                catch (WasmTrapException ex)
                {
                    caught = ex;
                }
            });

        var ex = Assert.Throws<WasmModuleFaultedException>(() => host.GetAction<int>("each")(3));

        Assert.NotNull(caught);
        Assert.Same(caught, ex.InnerException);
        Assert.True(host.IsFaulted);
        // The guest did not go on past the host function that returned into a faulted module.
        Assert.Equal(0, (int)host.Guest.Instance.GetGlobal("steps")!.GetValue()!);
    }

    [Fact]
    public void NestedCallTimingOut_CaughtByTheHostFunction_FailsTheOuterCallWithModuleFaulted()
    {
        using WasmHost host = Load(
            new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(300) },
            h => (int i) =>
            {
                try
                {
                    h().GetAction("spin")();
                }
                catch (TimeoutException)
                {
                }
            });

        var ex = Assert.Throws<WasmModuleFaultedException>(() => host.GetAction<int>("each")(3));

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("'spin'", ex.InnerException!.Message);
    }

    [Fact]
    public void NestedCallTrapping_NotCaught_FailsTheOuterCallWithTrapAsBefore()
    {
        using WasmHost host = Load(null, h => (int i) => h().GetAction("trap")());

        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("each")(3));

        Assert.Equal("each", ex.ExportName);
        Assert.Equal("trap", Assert.IsType<WasmTrapException>(ex.InnerException).ExportName);
    }

    [Fact]
    public void NestedCalls_DeepThroughTheHostWhileOtherThreadsContend_AreExactAndNeverDeadlock()
    {
        using WasmHost host = Load(null, h => (int i) => { }, h => (int n) => h().GetFunction<int, int>("down")(n));
        Func<int, int> down = host.GetFunction<int, int>("down");
        Func<int> quick = host.GetFunction<int>("quick");
        using var stop = new CancellationTokenSource();
        long contended = 0;
        Task[] others = new Task[2];
        for (int t = 0; t < others.Length; t++)
        {
            others[t] = Task.Factory.StartNew(
                () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        Assert.Equal(7, quick());
                        Interlocked.Increment(ref contended);
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        var watch = Stopwatch.StartNew();
        int rounds = 0;
        while (watch.Elapsed < TimeSpan.FromMilliseconds(500) || Interlocked.Read(ref contended) == 0)
        {
            Assert.Equal(Depth, down(Depth));
            rounds++;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the other threads never got the gate");
        }

        stop.Cancel();
        Task all = Task.WhenAll(others);
        Assert.True(((IAsyncResult)all).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "a contending thread deadlocked");
        Finished(all);
        Assert.True(rounds > 0 && contended > 0);
    }

    [Fact]
    public void CallFromAnotherThread_WhileAHostFunctionRuns_WaitsForTheOuterCall()
    {
        Task<int>? other = null;
        bool finishedInside = true;
        using WasmHost host = Load(
            null,
            h => (int i) =>
            {
                other = Task.Run(() => h().GetFunction<int>("quick")());
                finishedInside = ((IAsyncResult)other).AsyncWaitHandle.WaitOne(200); // blocking on purpose: inside the call
                Assert.Equal(7, h().GetFunction<int>("quick")()); // the holding thread itself re-enters at once
            });

        host.GetAction<int>("each")(1);

        Assert.False(finishedInside);
        Assert.True(((IAsyncResult)other!).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)));
        Assert.Equal(7, Finished(other));
    }

    [Fact]
    public void Dispose_FromAnotherThreadDuringNestedCalls_WaitsForTheOuterCallThenRefusesCalls()
    {
        Task? disposing = null;
        int steps = 0;
        using WasmHost host = Load(
            null,
            h => (int i) =>
            {
                if (i == 0)
                {
                    disposing = Task.Run(() => h().Dispose());
                    Thread.Sleep(100);
                }

                Assert.Equal(7, h().GetFunction<int>("quick")());
                steps++;
            });

        host.GetAction<int>("each")(5);

        Assert.True(((IAsyncResult)disposing!).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)));
        Assert.Equal(5, steps);
        Assert.Throws<ObjectDisposedException>(() => host.GetFunction<int>("quick"));
    }

    /// <summary>Loads <see cref="Text"/> with <c>env.step</c> (and <c>env.down</c>) calling back through the host, which the callbacks reach through the function they are given.</summary>
    private WasmHost Load(WasmHostOptions? options, Func<Func<WasmHost>, Action<int>> step, Func<Func<WasmHost>, Func<int, int>>? down = null)
    {
        WasmHost? host = null;
        options ??= new WasmHostOptions();
        options.Imports.Define("env", "step", step(() => host!));
        options.Imports.Define("env", "down", (down ?? (h => n => n))(() => host!));
        host = Track(WasmHost.FromText(Text, options: options));
        return host;
    }
}
