using System;
using System.Diagnostics;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmHostOptions.CallTimeout"/>, <see cref="WasmHostOptions.FuelPerCall"/> and cancellation at their
/// edges: timeouts too large to add to a clock, guest code that runs while the module loads (a start function,
/// the allocator ABI check, a reactor's <c>_initialize</c>), a WASI sleep past the timeout (which the host's
/// <c>poll_oneoff</c> ends at the deadline), and a host function that blocks past it, which nothing can interrupt.
/// </summary>
public sealed class CallLimitTests : LeakCheckedTests
{
    /// <summary>WASI <c>clock_time_get</c> and <c>poll_oneoff</c>, with scratch space below the allocator's first block.</summary>
    private const string WasiImports = """
        (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
        """;

    /// <summary>
    /// <c>busy(ms) -> i64</c> loops, reading the monotonic clock, until <c>ms</c> have passed (a loop, so epochs
    /// interrupt it); <c>sleep(ms) -> errno</c> blocks in one <c>poll_oneoff</c> clock subscription (a host call,
    /// which they cannot).
    /// </summary>
    private const string BusyAndSleep = """
        (func $now (result i64)
          (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 400)))
          (i64.load (i32.const 400)))
        (func (export "busy") (param $ms i64) (result i64) (local $end i64) (local $spins i64)
          (local.set $end (i64.add (call $now) (i64.mul (local.get $ms) (i64.const 1000000))))
          (loop $again
            (local.set $spins (i64.add (local.get $spins) (i64.const 1)))
            (br_if $again (i64.lt_u (call $now) (local.get $end))))
          (local.get $spins))
        (func $sleep (export "sleep") (param $ms i64) (result i32)
          (i64.store (i32.const 256) (i64.const 0))
          (i32.store8 (i32.const 264) (i32.const 0))
          (i32.store (i32.const 272) (i32.const 1))
          (i64.store (i32.const 280) (i64.mul (local.get $ms) (i64.const 1000000)))
          (i64.store (i32.const 288) (i64.const 0))
          (i32.store16 (i32.const 296) (i32.const 0))
          (call $poll (i32.const 256) (i32.const 320) (i32.const 1) (i32.const 360)))
        """;

    private static readonly string s_busyAndSleep = HostModules.Module(HostModules.CMalloc, BusyAndSleep, imports: WasiImports);

    public static TheoryData<TimeSpan> HugeTimeouts => new() { TimeSpan.MaxValue, TimeSpan.FromTicks(long.MaxValue - 1), TimeSpan.FromDays(365 * 1000) };

    [Theory]
    [MemberData(nameof(HugeTimeouts))]
    public void CallTimeout_TooLargeToAddToTheClock_LetsACallOfManyTicksFinish(TimeSpan timeout)
    {
        using WasmHost host = Track(WasmHost.FromText(s_busyAndSleep, options: new WasmHostOptions { CallTimeout = timeout }));
        Func<long, long> busy = host.GetFunction<long, long>("busy");

        // Ten interrupt checks and more: an overflowed deadline stopped such a call at the first one.
        var watch = Stopwatch.StartNew();
        long spins = busy(100);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(100));
        Assert.True(spins > 0);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void CallTimeout_MaxValueWithAToken_StillStopsWhenCanceled()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Spin), options: new WasmHostOptions { CallTimeout = TimeSpan.MaxValue }));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.ThrowsAny<OperationCanceledException>(host.GetAction("spin", cancellation.Token));
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void CallTimeout_StartFunctionLoopingForever_StopsTheLoadWithTimeout()
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        string looping = HostModules.Module(HostModules.CMalloc, """(func $start (loop $forever (br $forever))) (start $start)""");

        var watch = Stopwatch.StartNew();
        var ex = Assert.IsType<TimeoutException>(LoadFails(looping, new WasmHostOptions { CallTimeout = timeout }));
        watch.Stop();

        Assert.InRange(watch.Elapsed, timeout, timeout * 3);
        Assert.Contains("start function", ex.Message);
        Assert.Contains("not loaded", ex.Message);
    }

    [Fact]
    public void LoadCancellationToken_StartFunctionLoopingForever_StopsTheLoad()
    {
        string looping = HostModules.Module(HostModules.CMalloc, """(func $start (loop $forever (br $forever))) (start $start)""");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var ex = Assert.IsAssignableFrom<OperationCanceledException>(LoadFails(looping, new WasmHostOptions { LoadCancellationToken = cancellation.Token }));

        Assert.Equal(cancellation.Token, ex.CancellationToken);
    }

    [Fact]
    public void FuelPerCall_StartFunctionLoopingForever_StopsTheLoadWithATrap()
    {
        string looping = HostModules.Module(HostModules.CMalloc, """(func $start (loop $forever (br $forever))) (start $start)""");

        var ex = Assert.IsType<WasmTrapException>(LoadFails(looping, new WasmHostOptions { FuelPerCall = 100_000 }));

        Assert.Equal("(start)", ex.ExportName);
        Assert.Equal(TrapCode.OutOfFuel, Assert.IsType<TrapException>(ex.InnerException).Type);
    }

    [Fact]
    public void CallTimeoutAndLoadCancellationToken_AbiCheckLoopingForever_StopTheLoad()
    {
        // The allocator ABI check is guest code run by the load too; so is anything else a load calls.
        string looping = HostModules.Module($$"""
            (func (export "wsm_abi_version") (result i32) (loop $forever (br $forever)) (i32.const 1))
            (func (export "wsm_alloc") (param $size i32) (param $align i32) (result i32) {{HostModules.Bump}})
            (func (export "wsm_free") (param i32 i32 i32))
            """);

        var timedOut = Assert.IsType<TimeoutException>(LoadFails(looping, new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(100) }));
        Assert.Contains("'wsm_abi_version'", timedOut.Message);

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.IsAssignableFrom<OperationCanceledException>(LoadFails(looping, new WasmHostOptions { LoadCancellationToken = cancellation.Token }));
    }

    [Fact]
    public void LoadCancellationToken_ReactorInitializeLoopingForever_StopsTheLoad()
    {
        // A reactor's _initialize runs through the guarded call path at load, so the load's token reaches it too.
        // The token's 100 ms start from inside _initialize (env.started): started with the load, they could run out
        // while a busy machine still compiled, and a load whose token is already canceled is refused before it runs.
        string looping = HostModules.Module(
            HostModules.CMalloc,
            """(func (export "_initialize") (call $started) (loop $forever (br $forever)))""",
            imports: """(import "env" "started" (func $started))""");
        using var cancellation = new CancellationTokenSource();
        var options = new WasmHostOptions { LoadCancellationToken = cancellation.Token };
        options.Imports.Define("env", "started", () => cancellation.CancelAfter(TimeSpan.FromMilliseconds(100)));

        var ex = Assert.IsAssignableFrom<WasmSharedMemoryException>(LoadFails(looping, options));

        Assert.Contains("_initialize", ex.Message);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Fact]
    public void LoadCancellationToken_CanceledAfterTheLoad_LeavesCallsAlone()
    {
        using var cancellation = new CancellationTokenSource();
        using WasmHost host = Track(WasmHost.FromText(s_busyAndSleep, options: new WasmHostOptions { LoadCancellationToken = cancellation.Token }));
        cancellation.Cancel();

        Assert.True(host.GetFunction<long, long>("busy")(20) > 0);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void CallTimeout_WasiSleepPastIt_StopsTheSleepAtTheDeadlineAndFaults()
    {
        // The load runs under CallTimeout too: a busy machine must not make the load itself time out.
        var timeout = TimeSpan.FromMilliseconds(250);
        using WasmHost host = Track(WasmHost.FromText(s_busyAndSleep, options: new WasmHostOptions { CallTimeout = timeout }));
        Func<long, int> sleep = host.GetFunction<long, int>("sleep");

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<TimeoutException>(() => sleep(3000));
        watch.Stop();

        // The host's poll_oneoff waits only until the deadline (before issue 21 the call ended with the sleep).
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(1200), $"returned after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Contains("'sleep' ran past its 250 ms CallTimeout", ex.Message);
        Assert.True(host.IsFaulted);
        Assert.Throws<WasmModuleFaultedException>(() => sleep(0));
    }

    [Fact]
    public void CallTimeout_HostFunctionBlockingPastIt_ThrowsTimeoutAndFaultsOnceItReturns()
    {
        // A host function of the user's own that blocks cannot be interrupted: the call is reported when it returns.
        var options = new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(50) };
        options.Imports.Define("env", "block", (int ms) => Thread.Sleep(ms));
        string module = HostModules.Module(HostModules.CMalloc, """(func (export "block") (param i32) (call $block (local.get 0)))""", imports: """(import "env" "block" (func $block (param i32)))""");
        using WasmHost host = Track(WasmHost.FromText(module, options: options));

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<TimeoutException>(() => host.GetAction<int>("block")(300));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"returned after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Contains("'block' returned after", ex.Message);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void CallTimeout_WasiSleepWithinIt_ReturnsNormally()
    {
        using WasmHost host = Track(WasmHost.FromText(s_busyAndSleep, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(5) }));

        Assert.Equal(0, host.GetFunction<long, int>("sleep")(20));
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void CallTimeout_StartFunctionSleepingPastIt_StopsTheLoadWithTimeout()
    {
        string sleeping = HostModules.Module(HostModules.CMalloc, BusyAndSleep + """(func $start (drop (call $sleep (i64.const 300)))) (start $start)""", imports: WasiImports);

        var ex = Assert.IsType<TimeoutException>(LoadFails(sleeping, new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(50) }));

        Assert.Contains("ran past its 50 ms CallTimeout", ex.Message);
    }

    public static TheoryData<bool> BothKindsOfHost => new() { true, false };

    /// <summary>Issue 27, class 1: a host compiled with fuel and without interruption refilled it only once, at load.</summary>
    [Theory]
    [MemberData(nameof(BothKindsOfHost))]
    public void FuelPerCall_ManyCallsOfMostOfTheBudget_EachGetsTheWholeBudget(bool interruptible)
    {
        using WasmHost host = Track(CallLimitsModule.Load(interruptible, new WasmHostOptions { FuelPerCall = CallLimitsModule.Fuel }));
        Func<int, int> burn = host.GetFunction<int, int>("burn");

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(0, burn(CallLimitsModule.BurnUnit));
        }

        // The budget is still enforced per call: twice the unit does not fit.
        var ex = Assert.Throws<WasmTrapException>(() => burn(2 * CallLimitsModule.BurnUnit));
        Assert.Equal(TrapCode.OutOfFuel, Assert.IsType<TrapException>(ex.InnerException).Type);
    }

    [Theory]
    [MemberData(nameof(BothKindsOfHost))]
    public void FuelPerCall_ReactorInitializeUsingMostOfTheBudget_LeavesTheFirstCallTheWholeBudget(bool interruptible)
    {
        using WasmHost host = Track(CallLimitsModule.Load(
            interruptible, new WasmHostOptions { FuelPerCall = CallLimitsModule.Fuel }, init: CallLimitsModule.InitWork.Burn, initArg: CallLimitsModule.BurnUnit));

        Assert.Equal(0, host.GetFunction<int, int>("burn")(CallLimitsModule.BurnUnit));
        Assert.False(host.IsFaulted);
    }

    [Theory]
    [MemberData(nameof(BothKindsOfHost))]
    public void FuelPerCall_NestedCallsFromAHostFunction_ShareTheOuterCallsBudget(bool interruptible)
    {
        using WasmHost host = Track(CallLimitsModule.Load(interruptible, new WasmHostOptions { FuelPerCall = CallLimitsModule.Fuel }));
        Func<int, int, int> nest = host.GetFunction<int, int, int>("nest");

        // One nested burn of the unit per outer call, three times: each outer call has the whole budget.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, nest(CallLimitsModule.NestBurn, CallLimitsModule.BurnUnit));
        }

        // Two nested burns of the unit in one outer call: they share its budget, which does not hold both.
        var ex = Assert.Throws<WasmTrapException>(() => nest(CallLimitsModule.NestBurn, 2 * CallLimitsModule.BurnUnit));
        var nested = Assert.IsType<WasmTrapException>(ex.InnerException);
        Assert.Equal("burn", nested.ExportName);
        Assert.Equal(TrapCode.OutOfFuel, Assert.IsType<TrapException>(nested.InnerException).Type);
    }

    /// <summary>
    /// Loads <paramref name="wat"/> on another thread and returns what the load threw; fails, instead of hanging
    /// the run, if guest code run by the load ignores its limits.
    /// </summary>
    private Exception LoadFails(string wat, WasmHostOptions options)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                Track(WasmHost.FromText(wat, options: options));
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }) { IsBackground = true };
        thread.Start();

        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "The load did not end: guest code it ran ignored CallTimeout, FuelPerCall or the load's token.");
        return thrown ?? throw new Xunit.Sdk.XunitException("The load succeeded.");
    }
}
