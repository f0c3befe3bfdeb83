using System;
using System.Diagnostics;
using System.Threading;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The tokens a WASI sleep wakes for (issue 27, class 9): every token of the calls on the stack, however many nested
/// calls a host function made; <see cref="WaitHandle.WaitAny(WaitHandle[], int)"/> over their handles took at most 64.
/// </summary>
public sealed class CallTokensTests : LeakCheckedTests
{
    private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(2);

    public static TheoryData<int> NestedCounts => new() { 0, 1, 63, 64, 65, 200 };

    [Theory]
    [MemberData(nameof(NestedCounts))]
    public void Sleep_UnderManyNestedTokensNoneCanceled_SleepsTheWholeTime(int nested)
    {
        var tokens = new CallTokens { Call = new CancellationTokenSource().Token };
        for (int i = 0; i < nested; i++)
        {
            tokens.PushNested(new CancellationTokenSource().Token);
        }

        var watch = Stopwatch.StartNew();
        tokens.Sleep(50);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(45), $"woke after {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Theory]
    [MemberData(nameof(NestedCounts))]
    public void Sleep_InnermostOfManyNestedTokensCanceledMidSleep_WakesAtOnce(int nested)
    {
        using var outer = new CancellationTokenSource();
        var tokens = new CallTokens { Call = outer.Token };
        CancellationTokenSource innermost = outer;
        for (int i = 0; i < nested; i++)
        {
            innermost = new CancellationTokenSource();
            tokens.PushNested(innermost.Token);
        }

        CancelFromAnotherThread(innermost, TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();
        tokens.Sleep(30_000);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(100) + s_slack, $"woke after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Throws<OperationCanceledException>(tokens.ThrowIfCanceled);
    }

    [Fact]
    public void Sleep_TokenCanceledJustBeforeIt_DoesNotWait()
    {
        using var cancellation = new CancellationTokenSource();
        var tokens = new CallTokens { Call = cancellation.Token };
        cancellation.Cancel();

        var watch = Stopwatch.StartNew();
        tokens.Sleep(30_000);

        Assert.True(watch.Elapsed < s_slack, $"woke after {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    /// <summary>Cancels from a thread of its own, not a thread-pool timer, which a busy pool can delay by seconds.</summary>
    internal static void CancelFromAnotherThread(CancellationTokenSource cancellation, TimeSpan after) =>
        new Thread(() =>
        {
            Thread.Sleep(after);
            cancellation.Cancel();
        }) { IsBackground = true }.Start();
}
