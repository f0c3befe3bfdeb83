using System;
using System.Threading;
using System.Threading.Tasks;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Tests.Bindings;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Every call path crossed with every limit, on both kinds of host (issue 27: two regressions slipped because a test
/// checked one call on one path). Each row states the documented outcome of one cell, in words the runner writes
/// from what it saw: what the call threw or returned, whether the guest ran, whether the host is faulted or usable.
/// </summary>
/// <remarks>
/// Host paths use <c>Modules/call_limits.wat</c> (<see cref="CallLimitsModule"/>): a <see cref="WasmHost.GetFunction{TResult}(string, CancellationToken)"/>
/// or <see cref="WasmHost.GetAction(string, CancellationToken)"/> delegate, a generated binding's trailing token, a call
/// a host function makes back in (the cell's limit on the nested call, the outer call has none), and a reactor's
/// <c>_initialize</c> (the cell's limit on the load). Kernel paths use the kernel module: a call on its one instance,
/// one beside another thread's call, and one split across instances under <see cref="SharedMemoryOptions.Parallelism"/>.
/// </remarks>
public sealed class CallPathLimitMatrixTests : LeakCheckedTests
{
    private const int TwoPages = 2 * 65536;
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(200);

    // Canceled from a thread of its own this long after the call (or the nested call, or _initialize) begins; long
    // enough that a busy machine has entered the guest by then, so the cancellation is mid-call, not a refusal.
    private static readonly TimeSpan s_cancelAfter = TimeSpan.FromMilliseconds(250);

    public enum CallPath
    {
        Delegate,
        Binding,
        Nested,
        Initialize,
        Kernel,
        KernelBeside,
        KernelSplit,
    }

    public enum Limit
    {
        CallTimeout,
        CanceledToken,
        CanceledMidCall,
        FuelPerCall,
        MaxMemoryBytes,
    }

    public enum Host
    {
        Interruptible,
        WithoutInterruption,
    }

    private const string TimedOut = "TimeoutException; ran; faulted";
    private const string RefusedAtLoad = "load: ArgumentException";
    private const string CanceledBeforeRunning = "OperationCanceledException; not run; usable";
    private const string CanceledMidCall = "OperationCanceledException; ran; faulted";
    private const string NotSupported = "NotSupportedException; not run; usable";
    private const string NestedNotSupported = "WasmTrapException(NotSupportedException); not run; faulted";
    private const string FuelEachCall = "3 calls of 60 %: returned; 120 % in one call: WasmTrapException(OutOfFuel); faulted";
    private const string GrowsToTheCap = "grow to the cap: 1; past it: -1; usable";
    private const string KernelRefusesTokens = "binding: NotSupportedException; GetFunction: NotSupportedException; usable";

    /// <summary>The cells: path, limit, kind of host, and the documented outcome.</summary>
    public static TheoryData<CallPath, Limit, Host, string> Cells => new()
    {
        // GetFunction/GetAction delegates. README: CallTimeout stops a runaway call with TimeoutException and faults the
        // host; a limit the module was not compiled for throws ArgumentException when the host is created; a token is
        // checked before the guest runs, and one canceled mid-call faults the host; a cancelable token on a host
        // without interruption throws NotSupportedException ("nothing is silently ignored"); fuel is per call; growth
        // past MaxMemoryBytes fails inside the guest and leaves the host usable.
        { CallPath.Delegate, Limit.CallTimeout, Host.Interruptible, TimedOut },
        { CallPath.Delegate, Limit.CallTimeout, Host.WithoutInterruption, RefusedAtLoad },
        { CallPath.Delegate, Limit.CanceledToken, Host.Interruptible, CanceledBeforeRunning },
        { CallPath.Delegate, Limit.CanceledToken, Host.WithoutInterruption, NotSupported },
        { CallPath.Delegate, Limit.CanceledMidCall, Host.Interruptible, CanceledMidCall },
        { CallPath.Delegate, Limit.CanceledMidCall, Host.WithoutInterruption, NotSupported },
        { CallPath.Delegate, Limit.FuelPerCall, Host.Interruptible, FuelEachCall },
        { CallPath.Delegate, Limit.FuelPerCall, Host.WithoutInterruption, FuelEachCall },
        { CallPath.Delegate, Limit.MaxMemoryBytes, Host.Interruptible, GrowsToTheCap },
        { CallPath.Delegate, Limit.MaxMemoryBytes, Host.WithoutInterruption, GrowsToTheCap },

        // Generated bindings: "limited and faulted exactly as those of GetFunction" (WasmExportAttribute).
        { CallPath.Binding, Limit.CallTimeout, Host.Interruptible, TimedOut },
        { CallPath.Binding, Limit.CallTimeout, Host.WithoutInterruption, RefusedAtLoad },
        { CallPath.Binding, Limit.CanceledToken, Host.Interruptible, CanceledBeforeRunning },
        { CallPath.Binding, Limit.CanceledToken, Host.WithoutInterruption, NotSupported },
        { CallPath.Binding, Limit.CanceledMidCall, Host.Interruptible, CanceledMidCall },
        { CallPath.Binding, Limit.CanceledMidCall, Host.WithoutInterruption, NotSupported },
        { CallPath.Binding, Limit.FuelPerCall, Host.Interruptible, FuelEachCall },
        { CallPath.Binding, Limit.FuelPerCall, Host.WithoutInterruption, FuelEachCall },
        { CallPath.Binding, Limit.MaxMemoryBytes, Host.Interruptible, GrowsToTheCap },
        { CallPath.Binding, Limit.MaxMemoryBytes, Host.WithoutInterruption, GrowsToTheCap },

        // A call a host function makes back in: it "runs under the outer call's limits and its own token". A limit that
        // stops it stops the outer call as it is (TimeoutException, OperationCanceledException); what the host function
        // lets escape otherwise (a refusal of its token) comes back inside WasmTrapException and faults the host; the
        // nested calls of one outer call share its fuel, so two of 60 % do not fit.
        { CallPath.Nested, Limit.CallTimeout, Host.Interruptible, TimedOut },
        { CallPath.Nested, Limit.CallTimeout, Host.WithoutInterruption, RefusedAtLoad },
        { CallPath.Nested, Limit.CanceledToken, Host.Interruptible, "WasmTrapException(OperationCanceledException); not run; faulted" },
        { CallPath.Nested, Limit.CanceledToken, Host.WithoutInterruption, NestedNotSupported },
        { CallPath.Nested, Limit.CanceledMidCall, Host.Interruptible, CanceledMidCall },
        { CallPath.Nested, Limit.CanceledMidCall, Host.WithoutInterruption, NestedNotSupported },
        { CallPath.Nested, Limit.FuelPerCall, Host.Interruptible, "3 calls of 60 %: returned; 120 % in one call: WasmTrapException(WasmTrapException(OutOfFuel)); faulted" },
        { CallPath.Nested, Limit.FuelPerCall, Host.WithoutInterruption, "3 calls of 60 %: returned; 120 % in one call: WasmTrapException(WasmTrapException(OutOfFuel)); faulted" },
        { CallPath.Nested, Limit.MaxMemoryBytes, Host.Interruptible, GrowsToTheCap },
        { CallPath.Nested, Limit.MaxMemoryBytes, Host.WithoutInterruption, GrowsToTheCap },

        // A reactor's _initialize: "called once at load, through the guarded path under the host's time limit and fuel";
        // "a trap, timeout or fuel exhaustion there fails the load with a WasmSharedMemoryException that holds the
        // cause"; LoadCancellationToken is the load's token (canceled before the load, nothing runs); and it leaves the
        // first call the whole budget.
        { CallPath.Initialize, Limit.CallTimeout, Host.Interruptible, "load: WasmSharedMemoryException(TimeoutException)" },
        { CallPath.Initialize, Limit.CallTimeout, Host.WithoutInterruption, RefusedAtLoad },
        { CallPath.Initialize, Limit.CanceledToken, Host.Interruptible, "load: OperationCanceledException" },
        { CallPath.Initialize, Limit.CanceledToken, Host.WithoutInterruption, RefusedAtLoad },
        { CallPath.Initialize, Limit.CanceledMidCall, Host.Interruptible, "load: WasmSharedMemoryException(OperationCanceledException)" },
        { CallPath.Initialize, Limit.CanceledMidCall, Host.WithoutInterruption, RefusedAtLoad },
        { CallPath.Initialize, Limit.FuelPerCall, Host.Interruptible, "_initialize of 60 %; then " + FuelEachCall },
        { CallPath.Initialize, Limit.FuelPerCall, Host.WithoutInterruption, "_initialize of 60 %; then " + FuelEachCall },
        { CallPath.Initialize, Limit.MaxMemoryBytes, Host.Interruptible, "_initialize: " + GrowsToTheCap },
        { CallPath.Initialize, Limit.MaxMemoryBytes, Host.WithoutInterruption, "_initialize: " + GrowsToTheCap },

        // The kernel module runs without interruption checks, so there is no interruptible kernel host, and
        // SharedMemoryOptions has neither CallTimeout nor FuelPerCall (its kernels' loops are bounded by their buffers):
        // those cells do not exist. A token reaches a kernel export only through a binding or GetFunction, and is
        // refused there; the kernel calls themselves (Multiply, Dot, ...) take none, so beside and split calls have no
        // token cells. MaxMemoryBytes: "an allocation that would need it throws WasmOutOfMemoryException and leaves the
        // module usable", for a shared memory too.
        { CallPath.Kernel, Limit.CanceledToken, Host.WithoutInterruption, KernelRefusesTokens },
        { CallPath.Kernel, Limit.CanceledMidCall, Host.WithoutInterruption, KernelRefusesTokens },
        { CallPath.Kernel, Limit.MaxMemoryBytes, Host.WithoutInterruption, "past the cap: WasmOutOfMemoryException; kernel call: right; usable" },
        { CallPath.KernelBeside, Limit.MaxMemoryBytes, Host.WithoutInterruption, "past the cap: WasmOutOfMemoryException; kernel call beside: right; usable" },
        { CallPath.KernelSplit, Limit.MaxMemoryBytes, Host.WithoutInterruption, "past the cap: WasmOutOfMemoryException; split kernel call: right; usable" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Cell_HasItsDocumentedOutcome(CallPath path, Limit limit, Host host, string documented)
    {
        bool interruptible = host == Host.Interruptible;
        string outcome = path switch
        {
            CallPath.Initialize => RunInitialize(limit, interruptible),
            CallPath.Kernel or CallPath.KernelBeside or CallPath.KernelSplit => RunKernel(path, limit),
            _ => RunHostPath(path, limit, interruptible),
        };

        Assert.Equal(documented, outcome);
    }

    private string RunHostPath(CallPath path, Limit limit, bool interruptible)
    {
        var options = limit switch
        {
            Limit.CallTimeout => new WasmHostOptions { CallTimeout = s_timeout },
            Limit.FuelPerCall => new WasmHostOptions { FuelPerCall = CallLimitsModule.Fuel },
            Limit.MaxMemoryBytes => new WasmHostOptions { MaxMemoryBytes = TwoPages },
            _ => new WasmHostOptions(),
        };

        // A nested call takes the cell's token, and may start its cancellation as it begins.
        CancellationToken nestedToken = default;
        Action? beforeNested = null;
        WasmHost host;
        try
        {
            host = Track(CallLimitsModule.Load(interruptible, options, () =>
            {
                beforeNested?.Invoke();
                return nestedToken;
            }));
        }
        catch (Exception ex)
        {
            return $"load: {Describe(ex)}";
        }

        using (host)
        {
            Paths calls = Bind(path, host, token => nestedToken = token);
            using var cancellation = new CancellationTokenSource();
            switch (limit)
            {
                case Limit.CallTimeout:
                    return Ended(host, () => calls.Spin(default));

                case Limit.CanceledToken:
                    cancellation.Cancel();
                    return Ended(host, () => calls.Quick(cancellation.Token), cancellation.Token);

                case Limit.CanceledMidCall when interruptible:
                    Action cancelLater = () => CallTokensTests.CancelFromAnotherThread(cancellation, s_cancelAfter);
                    if (path == CallPath.Nested)
                    {
                        beforeNested = cancelLater;
                    }
                    else
                    {
                        cancelLater();
                    }

                    return Ended(host, () => calls.Spin(cancellation.Token), cancellation.Token);

                case Limit.CanceledMidCall:
                    // Refused before anything runs; quick, not spin, so a regression returns instead of spinning forever.
                    return Ended(host, () => calls.Quick(cancellation.Token), cancellation.Token);

                case Limit.FuelPerCall:
                    return Fuel(host, calls);

                default:
                    return Grows(host, calls.Grow(1), calls.Grow(1));
            }
        }
    }

    private string RunInitialize(Limit limit, bool interruptible)
    {
        using var cancellation = new CancellationTokenSource();
        var init = CallLimitsModule.InitWork.Nothing;
        Action? onInit = null;
        var options = new WasmHostOptions();
        switch (limit)
        {
            case Limit.CallTimeout:
                options.CallTimeout = s_timeout;
                init = CallLimitsModule.InitWork.Spin;
                break;
            case Limit.CanceledToken:
                cancellation.Cancel();
                options.LoadCancellationToken = cancellation.Token;
                init = CallLimitsModule.InitWork.Spin;
                break;
            case Limit.CanceledMidCall:
                options.LoadCancellationToken = cancellation.Token;
                init = CallLimitsModule.InitWork.Spin;
                // From inside _initialize: a slow load must not use up the time and turn this into a refusal.
                onInit = () => CallTokensTests.CancelFromAnotherThread(cancellation, s_cancelAfter);
                break;
            case Limit.FuelPerCall:
                options.FuelPerCall = CallLimitsModule.Fuel;
                init = CallLimitsModule.InitWork.Burn;
                break;
            case Limit.MaxMemoryBytes:
                options.MaxMemoryBytes = TwoPages;
                init = CallLimitsModule.InitWork.GrowTwice;
                break;
        }

        WasmHost host;
        try
        {
            host = Track(CallLimitsModule.Load(interruptible, options, init: init, initArg: CallLimitsModule.BurnUnit, onInit: onInit));
        }
        catch (OperationCanceledException ex)
        {
            Assert.Equal(cancellation.Token, ex.CancellationToken);
            return $"load: {Describe(ex)}";
        }
        catch (Exception ex)
        {
            return $"load: {Describe(ex)}";
        }

        using (host)
        {
            return limit == Limit.FuelPerCall
                ? "_initialize of 60 %; then " + Fuel(host, Bind(CallPath.Delegate, host, _ => { }))
                : "_initialize: " + Grows(host, CallLimitsModule.Global(host, "init_grew_first"), CallLimitsModule.Global(host, "init_grew_second"));
        }
    }

    private string RunKernel(CallPath path, Limit limit)
    {
        using var cancellation = new CancellationTokenSource();
        if (limit != Limit.MaxMemoryBytes)
        {
            using ISharedMemoryModule plain = Load();
            if (limit == Limit.CanceledToken)
            {
                cancellation.Cancel();
            }

            var binding = new KernelAbiBinding(plain.Host);
            string bound = Describe(Record.Exception(() => binding.AbiVersion(cancellation.Token)));
            string delegated = Describe(Record.Exception(() => plain.Host.GetFunction<int>(Internals.Kernels.KernelAbi.VersionExport, cancellation.Token)));
            bool usable = !plain.IsFaulted && binding.AbiVersion(default) == Internals.Kernels.KernelAbi.Version;
            return $"binding: {bound}; GetFunction: {delegated}; {(usable ? "usable" : "not usable")}";
        }

        const long cap = 32L << 20;
        var module = (KernelModule)Load(options: new SharedMemoryOptions { MaxMemoryBytes = cap, Parallelism = path == CallPath.Kernel ? 1 : 2 });
        using (module)
        {
            string past = Describe(Record.Exception(() => module.Allocate<byte>((int)cap).Dispose()));
            int length = path == CallPath.KernelSplit ? 1 << 20 : 4096; // 4 MiB a buffer splits; 16 KiB does not
            using WasmBuffer<float> values = module.Allocate<float>(length);
            values.Span.Fill(3);
            string what;
            long before;
            switch (path)
            {
                case CallPath.KernelBeside:
                    before = module.Crew!.BesideCalls;
                    using (ConcurrentKernelCallTests.HoldModule(module))
                    {
                        Task call = Task.Factory.StartNew(() => module.Multiply(values, values, values), TaskCreationOptions.LongRunning);
                        Assert.True(call.Wait(TimeSpan.FromSeconds(30)), "the call queued behind the thread holding the module");
                    }

                    Assert.Equal(before + 1, module.Crew.BesideCalls);
                    what = "kernel call beside";
                    break;
                case CallPath.KernelSplit:
                    before = module.Crew!.SplitCalls;
                    module.Multiply(values, values, values);
                    Assert.True(module.Crew.SplitCalls > before, "the call was not split");
                    what = "split kernel call";
                    break;
                default:
                    module.Multiply(values, values, values);
                    what = "kernel call";
                    break;
            }

            bool right = Array.TrueForAll(values.ToArray(), v => v == 9f);
            return $"past the cap: {past}; {what}: {(right ? "right" : "wrong")}; {(module.IsFaulted ? "faulted" : "usable")}";
        }
    }

    /// <summary>The call path's face of each export; for <see cref="CallPath.Nested"/>, the outer call has no token and passes the cell's to the nested one.</summary>
    private static Paths Bind(CallPath path, WasmHost host, Action<CancellationToken> setNestedToken)
    {
        switch (path)
        {
            case CallPath.Binding:
                var binding = new CallLimitsBinding(host);
                return new Paths(binding.Quick, binding.Spin, binding.Burn, binding.Grow);
            case CallPath.Nested:
                Func<int, int, int> nest = host.GetFunction<int, int, int>("nest");
                int Nest(int what, int arg, CancellationToken token)
                {
                    setNestedToken(token);
                    return nest(what, arg);
                }

                return new Paths(
                    t => Nest(CallLimitsModule.NestQuick, 0, t),
                    t => Nest(CallLimitsModule.NestSpin, 0, t),
                    (n, t) => Nest(CallLimitsModule.NestBurn, n, t),
                    (pages, t) => Nest(CallLimitsModule.NestGrow, pages, t));
            default:
                return new Paths(
                    t => host.GetFunction<int>("quick", t)(),
                    t => host.GetAction("spin", t)(),
                    (n, t) => host.GetFunction<int, int>("burn", t)(n),
                    (pages, t) => host.GetFunction<int, int>("grow", t)(pages));
        }
    }

    /// <summary>Runs a call the limit ends, and says how it ended, whether the guest ran and what became of the host.</summary>
    private static string Ended(WasmHost host, Action call, CancellationToken token = default)
    {
        Exception? ex = Record.Exception(call);
        if (ex is OperationCanceledException canceled)
        {
            Assert.Equal(token, canceled.CancellationToken);
        }

        return $"{(ex is null ? "returned" : Describe(ex))}; {(CallLimitsModule.Global(host, "runs") > 0 ? "ran" : "not run")}; {State(host)}";
    }

    private static string Fuel(WasmHost host, Paths calls)
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, calls.Burn(CallLimitsModule.BurnUnit, default));
        }

        Exception? over = Record.Exception(() => calls.Burn(2 * CallLimitsModule.BurnUnit, default));
        return $"3 calls of 60 %: returned; 120 % in one call: {(over is null ? "returned" : Describe(over))}; {State(host)}";
    }

    private static string Grows(WasmHost host, int first, int second) =>
        $"grow to the cap: {first}; past it: {second}; {State(host)}";

    private static string State(WasmHost host) =>
        host.IsFaulted ? "faulted" : host.GetFunction<int>("quick")() == 7 ? "usable" : "wrong";

    private static string Describe(Exception? ex) => ex switch
    {
        null => "returned",
        WasmTrapException { InnerException: TrapException trap } => $"{nameof(WasmTrapException)}({trap.Type})",
        WasmTrapException { InnerException: { } inner } => $"{nameof(WasmTrapException)}({Describe(inner)})",
        OperationCanceledException => nameof(OperationCanceledException),
        { InnerException: { } inner } when ex.GetType() == typeof(WasmSharedMemoryException) => $"{nameof(WasmSharedMemoryException)}({Describe(inner)})",
        _ => ex.GetType().Name,
    };

    /// <summary>One call path's face of the module's exports.</summary>
    private sealed record Paths(
        Func<CancellationToken, int> Quick,
        Action<CancellationToken> Spin,
        Func<int, CancellationToken, int> Burn,
        Func<int, CancellationToken, int> GrowBy)
    {
        public int Grow(int pages) => GrowBy(pages, default);
    }
}
