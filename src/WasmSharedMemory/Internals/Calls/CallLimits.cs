using System;
using System.Diagnostics;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// The per-call limits of one store: the <see cref="WasmHostOptions.CallTimeout"/> deadline, cancellation and
/// fuel, armed before each call; and the mapping of a failed call to the exception the caller sees.
/// </summary>
/// <remarks>
/// Time limits ride on epoch interruption: the store's epoch callback runs on the calling thread at every tick
/// of <see cref="EpochTicker"/> while a limit is armed, and decides whether the call goes on.
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

    // The call in progress, read by the epoch callback on the calling thread.
    private long _callStarted;
    private long _callDeadline;
    private CancellationToken _callToken;
    private bool _deadlineArmed;

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

    /// <summary>Arms the time limit and cancellation and refills fuel. Call under the gate.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Begin(CancellationToken cancellationToken)
    {
        // The kernel engine has no epoch interruption: its calls arm nothing.
        if (_interruptible)
        {
            Arm(cancellationToken);
        }
    }

    private void Arm(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_timeoutTicks != 0 || cancellationToken.CanBeCanceled)
        {
            _callStarted = Stopwatch.GetTimestamp();
            _callDeadline = _timeoutTicks != 0 ? _callStarted + _timeoutTicks : long.MaxValue;
            _callToken = cancellationToken;
            _store.SetEpochDeadline(1); // check at every tick; OnEpochDeadline decides
            _deadlineArmed = true;
        }
        else if (_deadlineArmed)
        {
            _store.SetEpochDeadline(NoDeadline);
            _deadlineArmed = false;
        }

        if (_fuelPerCall is { } fuel)
        {
            _store.Fuel = fuel;
        }
    }

    /// <summary>Maps a failed call of <paramref name="export"/> to the exception to throw.</summary>
    public Exception Failed(string export, WasmtimeException exception) => exception.InnerException switch
    {
        TimeoutException => new TimeoutException(
            $"WebAssembly export '{export}' ran past its {_timeout?.TotalMilliseconds:0.###} ms CallTimeout and was stopped after " +
            $"{(Stopwatch.GetTimestamp() - _callStarted) * 1000.0 / Stopwatch.Frequency:0} ms. The module is faulted; load a new one.",
            exception),
        OperationCanceledException canceled => new OperationCanceledException(
            $"WebAssembly export '{export}' was canceled mid-call. The module is faulted; load a new one.", exception, canceled.CancellationToken),
        _ => new WasmTrapException(export, exception),
    };

    private ulong OnEpochDeadline(Store store)
    {
        // Runs on the thread inside the call; throwing ends the call, and the exception comes back as the
        // InnerException of Wasmtime's, which Failed recognizes.
        _callToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() >= _callDeadline)
        {
            throw new TimeoutException();
        }

        return 1;
    }
}
