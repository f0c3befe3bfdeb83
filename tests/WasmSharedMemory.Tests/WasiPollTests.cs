using System;
using System.Diagnostics;
using System.Threading;
using WasmSharedMemory.Tests.ChildProcesses;

namespace WasmSharedMemory.Tests;

/// <summary>
/// WASI <c>poll_oneoff</c> as the host defines it: a clock wait that <see cref="WasmHostOptions.CallTimeout"/> and a
/// call's token bound (issue 21, class 1), and the preview 1 semantics modules rely on, checked against what
/// Wasmtime's own implementation did.
/// </summary>
public sealed class WasiPollTests : LeakCheckedTests
{
    private const long Ms = 1_000_000;

    // Interrupts are checked every InterruptCheckInterval (10 ms); a busy shared machine may add a few hundred more.
    private static readonly TimeSpan s_slack = TimeSpan.FromMilliseconds(900);

    [Fact]
    public void CallTimeout_WasiSleepPastIt_StopsTheSleepAtTheDeadline()
    {
        // The load runs under CallTimeout too: 250 ms, so a busy machine does not make the load itself time out.
        var timeout = TimeSpan.FromMilliseconds(250);
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = timeout }));
        Func<long, int> sleep = host.GetFunction<long, int>("sleep");

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<TimeoutException>(() => sleep(3000 * Ms));
        watch.Stop();

        Assert.True(watch.Elapsed < timeout + s_slack, $"the 3 s sleep under a 250 ms CallTimeout returned after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Contains("'sleep' ran past its 250 ms CallTimeout", ex.Message);
        Assert.True(host.IsFaulted);
        Assert.Throws<WasmModuleFaultedException>(() => sleep(0));
    }

    [Fact]
    public void CancellationToken_CanceledDuringAWasiSleep_StopsTheSleep()
    {
        // A day-long CallTimeout only makes the host interruptible, which a token needs; the token must stop the sleep.
        // Canceled from a thread of its own: a CancellationTokenSource's own timer fires on the thread pool, which a busy
        // parallel test run can starve for seconds (a 100 ms timer fired after about 1 s with the pool blocked), and
        // then the sleep ended its 3 s first and returned normally: a late cancellation, not a lost one.
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromDays(1) }));
        using var cancellation = new CancellationTokenSource();
        Func<long, int> sleep = host.GetFunction<long, int>("sleep", cancellation.Token);

        CallTokensTests.CancelFromAnotherThread(cancellation, TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();
        var ex = Assert.ThrowsAny<OperationCanceledException>(() => sleep(3000 * Ms));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(100) + s_slack, $"returned after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(cancellation.Token, ex.CancellationToken);
        Assert.True(host.IsFaulted);
    }

    /// <summary>
    /// Issue 27, class 9: a sleep 70 nested calls deep, each with a token, waited on every token's handle at once, which
    /// <see cref="WaitHandle.WaitAny(WaitHandle[], int)"/> refuses past 64. In a child process, for the raised wasm stack.
    /// </summary>
    [Fact]
    public void WasiSleep_UnderMoreThan64NestedTokens_SleepsAndIsStoppedByTheInnermost()
    {
        ChildResult child = ChildProcess.Run("nested-sleep", TimeSpan.FromSeconds(60), "70").AssertSucceeded();

        string whole = child.Value("whole sleep");
        Assert.StartsWith("returned 0 after ", whole);
        Assert.True(Milliseconds(whole) >= 200, child.Output);
        string canceled = child.Value("canceled sleep");
        Assert.StartsWith($"{nameof(OperationCanceledException)} after ", canceled);
        Assert.True(Milliseconds(canceled) < 100 + s_slack.TotalMilliseconds, child.Output);
    }

    private static double Milliseconds(string outcome) =>
        double.Parse(outcome.Substring(outcome.LastIndexOf(" after ", StringComparison.Ordinal) + 7).Replace(" ms", string.Empty), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void CallTimeout_StartFunctionSleepingPastIt_StopsTheLoadAtTheDeadline()
    {
        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<TimeoutException>(() => WasmHost.FromText(WasiPollModule.SleepingAtStart(3000), options: new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(250) }));

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(250) + s_slack, $"the load returned after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Contains("start function", ex.Message);
    }

    /// <summary>A year's sleep, in a child process: if the bound regressed the child would sleep, and be killed, instead of the test run.</summary>
    [Theory]
    [InlineData("timeout")]
    [InlineData("token")]
    [InlineData("start-timeout")]
    [InlineData("start-token")]
    public void WasiSleepOfAYear_IsStoppedByTheCallsLimit(string limit)
    {
        ChildResult child = ChildProcess.Run("wasi-sleep", TimeSpan.FromSeconds(60), limit).AssertSucceeded();

        string expected = limit.EndsWith("timeout", StringComparison.Ordinal) ? nameof(TimeoutException) : nameof(OperationCanceledException);
        Assert.Equal(expected, child.Value("thrown"));
        // The limit plus the slack, timed from the call (or, in the start function, from just before its sleep).
        double limitMs = limit.EndsWith("timeout", StringComparison.Ordinal) ? 1000 : 100;
        Assert.True(double.Parse(child.Value("ms"), System.Globalization.CultureInfo.InvariantCulture) < limitMs + s_slack.TotalMilliseconds, child.Output);
    }

    [Fact]
    public void Sleep_WithinTheLimit_WaitsItsWholeTimeAndReportsItsClockEvent()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        var watch = Stopwatch.StartNew();
        int errno = host.GetFunction<long, int>("sleep")(30 * Ms);
        watch.Stop();

        Assert.Equal(0, errno);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(30), $"returned after {watch.Elapsed.TotalMilliseconds} ms");
        AssertEvents(host, (7, 0, 0));
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Sleep_NoLimitsAtAll_WaitsItsWholeTime()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, host.GetFunction<long, int>("sleep")(20 * Ms));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(20));
        AssertEvents(host, (7, 0, 0));
    }

    [Fact]
    public void TwoClocks_ReturnsWhenTheEarlierIsDueAndReportsOnlyIt()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, host.GetFunction<long, long, int>("two_clocks")(20_000 * Ms, 10 * Ms));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(10) && watch.Elapsed < TimeSpan.FromSeconds(10));
        AssertEvents(host, (2, 0, 0));
    }

    [Fact]
    public void TwoClocksAlreadyDue_ReportsBothInOrder()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text));

        Assert.Equal(0, host.GetFunction<long, long, int>("two_clocks")(0, 0));

        AssertEvents(host, (1, 0, 0), (2, 0, 0));
    }

    [Theory]
    [InlineData(0)] // realtime
    [InlineData(1)] // monotonic
    public void AbsoluteClock_WaitsUntilThatTimeOnThatClock(int clock)
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, host.GetFunction<int, long, int>("sleep_until")(clock, 40 * Ms));
        watch.Stop();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(35) && watch.Elapsed < TimeSpan.FromSeconds(10), $"{watch.Elapsed.TotalMilliseconds} ms");
        AssertEvents(host, (8, 0, 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AbsoluteClock_InThePast_ReturnsAtOnce(int clock)
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        // 1 ns after the clock's zero: the monotonic clock may be younger than a second, so "now minus a second" could wrap.
        Assert.Equal(0, host.GetFunction<int, long, int>("sleep_at")(clock, 1));

        AssertEvents(host, (8, 0, 0));
    }

    [Fact]
    public void NoSubscriptions_ReturnsEinval()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text));

        Assert.Equal(28, host.GetFunction<int>("poll_none")());
    }

    [Theory]
    [InlineData(2)] // process CPU time
    [InlineData(3)] // thread CPU time
    [InlineData(99)]
    public void ClockOtherThanRealtimeOrMonotonic_ReturnsEinval(int clock)
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text));

        Assert.Equal(28, host.GetFunction<int, long, int>("clock_id")(clock, 365L * 24 * 3600 * 1000 * Ms));
    }

    [Fact]
    public void UnknownSubscriptionTag_ReturnsEinval()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text));

        Assert.Equal(28, host.GetFunction<int>("bad_tag")());
    }

    /// <summary>As Wasmtime's own <c>poll_oneoff</c> does, a pointer outside memory or misaligned for its type traps the call.</summary>
    [Theory]
    [InlineData(65536 - 40, 512, 1)] // the subscription runs past the end of memory
    [InlineData(256, 65536 - 24, 1)] // the event does
    [InlineData(256, 512, 100_000)] // so do a hundred thousand subscriptions
    [InlineData(260, 512, 1)] // subscriptions not aligned to 8
    [InlineData(256, 516, 1)] // events not aligned to 8
    public void PointersOutsideMemoryOrMisaligned_TrapTheCall(int subscriptions, int events, int count)
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        var ex = Assert.Throws<WasmTrapException>(() => host.GetFunction<int, int, int, int>("poll_at")(subscriptions, events, count));

        Assert.Equal("poll_at", ex.ExportName);
        Assert.True(host.IsFaulted);
    }

    /// <summary>The streams this host grants never block: stdin is empty, stdout and stderr always take writes.</summary>
    [Theory]
    [InlineData(1, 0)] // fd_read on stdin
    [InlineData(2, 1)] // fd_write on stdout
    [InlineData(2, 2)] // fd_write on stderr
    public void FdSubscriptionOnAStandardStream_IsReadyAtOnceBesideAYearLongClock(int tag, int fd)
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, host.GetFunction<int, int, long, int>("fd_and_clock")(tag, fd, 365L * 24 * 3600 * 1000 * Ms));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(1, host.GetFunction<int>("nevents")());
        Assert.Equal(4, host.GetFunction<int, long>("event_userdata")(0));
        Assert.Equal(tag, host.GetFunction<int, int>("event_type")(0));
    }

    /// <summary>As Wasmtime's own <c>poll_oneoff</c> does (checked against it before the host defined its own): the whole poll fails.</summary>
    [Fact]
    public void FdSubscriptionOnADescriptorNotOpen_ReturnsEbadfForThePoll()
    {
        using WasmHost host = Track(WasmHost.FromText(WasiPollModule.Text, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));

        int errno = host.GetFunction<int, int, long, int>("fd_and_clock")(1, 99, 365L * 24 * 3600 * 1000 * Ms);

        Assert.Equal((8, -1), (errno, host.GetFunction<int>("nevents")()));
        Assert.False(host.IsFaulted);
    }

    private static void AssertEvents(WasmHost host, params (long Userdata, int Error, int Type)[] expected)
    {
        Assert.Equal(expected.Length, host.GetFunction<int>("nevents")());
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], (host.GetFunction<int, long>("event_userdata")(i), host.GetFunction<int, int>("event_error")(i), host.GetFunction<int, int>("event_type")(i)));
        }
    }

    /// <summary>
    /// 27,000 fd subscriptions fill 1.3 MB of a 2 MiB memory; the host's own WASI memory needs 2.2 MB for them and their
    /// events. Wasmtime applies a store's limit to every memory in it, so before the fix the cap trapped the poll with
    /// "failed to grow memory by 32" where no cap let it run.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(2L * 1024 * 1024)]
    public void FdSubscriptionsFillingMostOfMemory_PollUnderMaxMemoryBytesAsWithoutIt(long? maxMemoryBytes)
    {
        const int Subscriptions = 27_000;
        string wat = ToolchainModules.Wat("wasi_poll_fd_writes.wat");
        using WasmHost host = Track(WasmHost.FromText(wat, options: new WasmHostOptions { MaxMemoryBytes = maxMemoryBytes }));

        Assert.Equal(0, host.GetFunction<int, int>("poll_fd_writes")(Subscriptions));

        Assert.Equal(Subscriptions, host.GetFunction<int, int>("nevents")(Subscriptions));
        Assert.Equal(2L * 1024 * 1024, host.MemoryBytes);
        Assert.False(host.IsFaulted);
    }
}
