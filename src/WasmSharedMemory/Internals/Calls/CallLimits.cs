using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// The per-call limits of one store: the <see cref="WasmHostOptions.CallTimeout"/> deadline, cancellation and
/// fuel, armed before each call and before guest code that runs while loading; and the mapping of a failed
/// call or load to the exception the caller sees.
/// </summary>
/// <remarks>
/// Time limits ride on epoch interruption: the store's epoch callback runs on the calling thread at every tick
/// of <see cref="EpochTicker"/> while a limit is armed, and decides whether the call goes on. Epochs interrupt
/// wasm code only, never a host call: the host's WASI <c>poll_oneoff</c> waits through <see cref="WaitUntil"/>, which the
/// same limits end, and any other call that returns past its deadline is caught by <see cref="CheckReturnedInTime"/>
/// and fails like one that was stopped. A nested call (a host function calling back in) runs under the outer call's
/// deadline and token, and its own token too (<see cref="BeginNested"/>).
/// </remarks>
internal sealed class CallLimits
{
    // Relative to the current epoch; far enough to never arrive, small enough not to overflow when added to it.
    private const ulong NoDeadline = 1UL << 62;

    private readonly Store _store;
    private readonly bool _interruptible;
    private readonly TimeSpan? _timeout;
    private readonly long _timeoutTicks;
    private readonly ulong? _fuelPerCall;

    /// <summary>What a trap or stop while loading is reported against: no export was called.</summary>
    public const string LoadingExport = "(start)";

    // The call in progress, read by the epoch callback on the calling thread.
    private long _callStarted;
    private long _callDeadline = long.MaxValue;
    private readonly CallTokens _tokens = new();
    private bool _deadlineArmed;
    private bool _overran;

    // While loading: stands in for the token of guest calls that have none (the ABI check, initialization).
    private CancellationToken _loadToken;

    public CallLimits(Store store, bool interruptible, WasmHostOptions? options)
    {
        _store = store;
        _interruptible = interruptible;
        _timeout = options?.CallTimeout;
        _fuelPerCall = options?.FuelPerCall;
        if (_timeout is { } timeout)
        {
            // Saturate: TimeSpan.MaxValue in Stopwatch ticks overflows a long.
            double ticks = timeout.TotalSeconds * Stopwatch.Frequency;
            _timeoutTicks = ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : Math.Max(1, (long)ticks);
        }

        if (interruptible)
        {
            store.SetEpochDeadline(NoDeadline);
            store.SetEpochDeadlineCallback(OnEpochDeadline);
        }

        if (_fuelPerCall is { } fuel)
        {
            store.Fuel = fuel;
        }
    }

    /// <summary>
    /// Arms the limits for a load: the instantiation (a start function runs inside it) and every guest call
    /// until <see cref="EndLoad"/>, which honor <paramref name="cancellationToken"/> when they have no token of their own.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already canceled.</exception>
    public void BeginLoad(CancellationToken cancellationToken)
    {
        _loadToken = cancellationToken;
        Begin(cancellationToken);
    }

    /// <summary>Ends the load: from now on only a call's own token cancels it.</summary>
    public void EndLoad() => _loadToken = default;

    /// <summary>Arms the time limit and cancellation and refills fuel, for a top-level call. Call under the gate.</summary>
    /// <remarks>
    /// Fuel is refilled whether or not the engine has epochs: a module compiled with fuel and without interruption
    /// (<c>FuelPerCall</c> alone) still gives every call the whole budget, and guest code run while loading (a reactor's
    /// <c>_initialize</c>, the ABI check) leaves nothing less for the first call. A token on an engine without epochs
    /// never gets here (<see cref="GuestInstance"/> refuses it first).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Begin(CancellationToken cancellationToken)
    {
        if (_interruptible)
        {
            Arm(cancellationToken);
        }

        if (_fuelPerCall is { } fuel)
        {
            _store.Fuel = fuel;
        }
    }

    private void Arm(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            cancellationToken = _loadToken;
        }

        cancellationToken.ThrowIfCancellationRequested();
        _overran = false;
        if (_timeoutTicks != 0 || cancellationToken.CanBeCanceled)
        {
            _callStarted = Stopwatch.GetTimestamp();
            _callDeadline = _timeoutTicks != 0 ? _callStarted + _timeoutTicks : long.MaxValue;
            _tokens.Call = cancellationToken;
            _store.SetEpochDeadline(1); // check at every tick; OnEpochDeadline decides
            _deadlineArmed = true;
        }
        else
        {
            // A nested call's token may arm the epoch callback later: it must see no earlier call's token or deadline.
            _tokens.Call = default;
            _callDeadline = long.MaxValue;
            if (_deadlineArmed)
            {
                _store.SetEpochDeadline(NoDeadline);
                _deadlineArmed = false;
            }
        }
    }

    /// <summary>
    /// Adds the token of a nested call (one a host function makes back in) to the limits of the call in progress, which
    /// the nested call otherwise runs under unchanged: re-arming would restart the outer deadline and refill its fuel.
    /// </summary>
    /// <returns>True when the token was added; then call <see cref="EndNested"/> when the nested call ends.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already canceled.</exception>
    public bool BeginNested(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_interruptible || !cancellationToken.CanBeCanceled)
        {
            return false;
        }

        _tokens.PushNested(cancellationToken);
        if (!_deadlineArmed)
        {
            _store.SetEpochDeadline(1);
        }

        return true;
    }

    /// <summary>Removes the token <see cref="BeginNested"/> added last.</summary>
    public void EndNested()
    {
        _tokens.PopNested();
        if (!_tokens.HasNested && !_deadlineArmed)
        {
            _store.SetEpochDeadline(NoDeadline);
        }
    }

    /// <summary>
    /// Blocks the calling thread until Stopwatch time <paramref name="end"/>, for guest code waiting in a host call (a WASI
    /// <c>poll_oneoff</c> clock), but no longer than the call in progress may run.
    /// </summary>
    /// <exception cref="TimeoutException">The call's deadline came first; thrown from a host function, it stops the call as a timeout does.</exception>
    /// <exception cref="OperationCanceledException">A token of the call (or of a nested call, or of the load) was canceled first.</exception>
    public void WaitUntil(long end)
    {
        while (true)
        {
            _tokens.ThrowIfCanceled();
            long now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                return;
            }

            long until = end;
            if (_deadlineArmed && _timeoutTicks != 0)
            {
                if (now >= _callDeadline)
                {
                    throw new TimeoutException();
                }

                until = Math.Min(until, _callDeadline);
            }

            Block(until - now);
        }
    }

    /// <summary>
    /// Throws, as a stopped call would, when a call that returned normally finished past its deadline: a host
    /// call it made blocked (a WASI <c>poll_oneoff</c> sleep, a blocking read), and epochs cannot interrupt one.
    /// Call right after the guest returns, before acting on what it returned.
    /// </summary>
    /// <exception cref="WasmtimeException">The deadline passed; <see cref="Failed(string, WasmtimeException)"/> maps it to a <see cref="TimeoutException"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckReturnedInTime()
    {
        if (_deadlineArmed && _timeoutTicks != 0 && Stopwatch.GetTimestamp() >= _callDeadline)
        {
            ThrowOverran();
        }
    }

    /// <summary>Maps a failed call of <paramref name="export"/> to the exception to throw.</summary>
    public Exception Failed(string export, WasmtimeException exception) => exception.InnerException switch
    {
        TimeoutException => new TimeoutException($"WebAssembly export '{export}' {TimedOut()} The module is faulted; load a new one.", exception),
        OperationCanceledException canceled => new OperationCanceledException(
            $"WebAssembly export '{export}' was canceled mid-call. The module is faulted; load a new one.", exception, canceled.CancellationToken),
        _ => new WasmTrapException(export, exception),
    };

    /// <summary>
    /// Maps a failed call of <paramref name="export"/> on an instance whose fault so far is <paramref name="fault"/>: what a
    /// host function threw, if <paramref name="host"/> is not null, else the trap, timeout or cancellation.
    /// </summary>
    /// <param name="export">The export called.</param>
    /// <param name="exception">Wasmtime's exception.</param>
    /// <param name="host">What the last host function to fail threw, or null.</param>
    /// <param name="refused">
    /// <paramref name="host"/> is the library's own refusal to go on after a host function caught the failure of its call
    /// back in (<see cref="Imports.HostCallScope.ThrowIfFaulted"/>), not something a host function threw: only then does a
    /// <see cref="WasmModuleFaultedException"/> reach the caller as it is.
    /// </param>
    /// <param name="fault">The instance's fault so far, or null.</param>
    public Exception Failed(string export, WasmtimeException exception, Exception? host, bool refused, Exception? fault) =>
        host is null ? Failed(export, exception)
        // A limit that stopped a call the host function made stays what it was: it stopped this call too.
        : refused || (host is TimeoutException or OperationCanceledException && ReferenceEquals(host, fault))
        ? host
        // Whatever a host function threw, a WasmModuleFaultedException of another host's included.
        : new WasmTrapException(export, host);

    /// <summary>Maps a trap, timeout or cancellation of guest code run by instantiation (a start function), or a host function it called that threw, to the exception to throw.</summary>
    public Exception FailedLoading(WasmtimeException exception) => exception.InnerException switch
    {
        // A host function's exception rides inside the stand-in its wrapper threw (whose message Wasmtime can always read).
        Imports.HostFunctionFailure { InnerException: { } host } => HostFunctionFailedLoading(host),
        TimeoutException => new TimeoutException($"The module's start function, run while loading, {TimedOut()} The module was not loaded.", exception),
        OperationCanceledException canceled => new OperationCanceledException(
            "Loading the module was canceled while its start function ran. The module was not loaded.", exception, canceled.CancellationToken),
        // A host function the start function called threw: report its exception, as a call does.
        { } host => HostFunctionFailedLoading(host),
        null => new WasmTrapException(
            LoadingExport,
            $"The module trapped while it was instantiated (in its start function, or placing a data or element segment): {exception.Message.TrimEnd()} The module was not loaded.",
            exception),
    };

    private static WasmTrapException HostFunctionFailedLoading(Exception host) => new(
        LoadingExport,
        $"A host function called by the module's start function threw {ExceptionText.TypeName(host)}: {ExceptionText.MessageOf(host)} The module was not loaded.",
        host);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOverran()
    {
        _overran = true;
        throw new WasmtimeException("The call returned after its deadline.", new TimeoutException());
    }

    private string TimedOut()
    {
        double elapsed = (Stopwatch.GetTimestamp() - _callStarted) * 1000.0 / Stopwatch.Frequency;
        string timeout = _timeout is { } t ? $"{t.TotalMilliseconds:0.###} ms" : "no";
        return _overran
            ? $"returned after {elapsed:0} ms, past its {timeout} CallTimeout: a host call it made blocked (a WASI poll_oneoff sleep, for example), and Wasmtime interrupts only WebAssembly code. What it returned is discarded."
            : $"ran past its {timeout} CallTimeout and was stopped after {elapsed:0} ms.";
    }

    /// <summary>Sleeps up to <paramref name="ticks"/> Stopwatch ticks (at least 1 ms), waking early when a token of the call is canceled.</summary>
    private void Block(long ticks)
    {
        double milliseconds = Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency);
        int timeout = milliseconds >= int.MaxValue ? int.MaxValue - 1 : Math.Max(1, (int)milliseconds);
        _tokens.Sleep(timeout);
    }

    private ulong OnEpochDeadline(Store store)
    {
        // Runs on the thread inside the call; throwing ends the call, and the exception comes back as the
        // InnerException of Wasmtime's, which Failed recognizes.
        _tokens.ThrowIfCanceled();
        if (Stopwatch.GetTimestamp() >= _callDeadline)
        {
            throw new TimeoutException();
        }

        return 1;
    }
}
