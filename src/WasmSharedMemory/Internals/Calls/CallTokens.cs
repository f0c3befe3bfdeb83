using System;
using System.Threading;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// The cancellation tokens the call in progress on a store honors: its own (or the load's), and those of the nested
/// calls a host function made back in, innermost last. Any of them canceled stops the whole stack of calls.
/// </summary>
internal sealed class CallTokens
{
    private static readonly Action<object?> s_wake = state => ((ManualResetEventSlim)state!).Set();

    // Set by a registration on any token while Sleep waits; never disposed: it holds no kernel handle unless one is
    // asked for, which nothing here does.
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private CancellationToken[] _nested = Array.Empty<CancellationToken>();
    private int _nestedCount;

    /// <summary>Gets or sets the token of the outermost call (or of the load); <c>default</c> when it has none.</summary>
    public CancellationToken Call { get; set; }

    /// <summary>Gets a value indicating whether a nested call with a token of its own is in progress.</summary>
    public bool HasNested => _nestedCount != 0;

    /// <summary>Adds a nested call's token, until <see cref="PopNested"/>.</summary>
    public void PushNested(CancellationToken token)
    {
        if (_nestedCount == _nested.Length)
        {
            Array.Resize(ref _nested, Math.Max(4, _nested.Length * 2));
        }

        _nested[_nestedCount++] = token;
    }

    /// <summary>Removes the token <see cref="PushNested"/> added last.</summary>
    public void PopNested() => _nested[--_nestedCount] = default;

    /// <summary>Throws when any of the tokens is canceled.</summary>
    /// <exception cref="OperationCanceledException">One is canceled; it carries that token.</exception>
    public void ThrowIfCanceled()
    {
        Call.ThrowIfCancellationRequested();
        for (int i = 0; i < _nestedCount; i++)
        {
            _nested[i].ThrowIfCancellationRequested();
        }
    }

    /// <summary>Sleeps <paramref name="milliseconds"/>, waking early when any of the tokens is canceled.</summary>
    /// <remarks>
    /// One event that a registration on each token sets, not <see cref="WaitHandle.WaitAny(WaitHandle[], int)"/> over the
    /// tokens' handles: that takes at most 64, and nested calls may stack more tokens than that. The event is reset
    /// before the tokens are registered, and a registration on a token already canceled sets it at once, so no
    /// cancellation between the caller's check and the wait is lost.
    /// </remarks>
    public void Sleep(int milliseconds)
    {
        if (!Call.CanBeCanceled && _nestedCount == 0)
        {
            Thread.Sleep(milliseconds);
            return;
        }

        _wake.Reset();
        CancellationTokenRegistration call = Call.Register(s_wake, _wake);
        var nested = _nestedCount == 0 ? Array.Empty<CancellationTokenRegistration>() : new CancellationTokenRegistration[_nestedCount];
        try
        {
            for (int i = 0; i < nested.Length; i++)
            {
                nested[i] = _nested[i].Register(s_wake, _wake);
            }

            _wake.Wait(milliseconds);
        }
        finally
        {
            // Dispose waits for a callback already running, so none sets the event after this sleep is over.
            call.Dispose();
            foreach (CancellationTokenRegistration registration in nested)
            {
                registration.Dispose();
            }
        }
    }
}
