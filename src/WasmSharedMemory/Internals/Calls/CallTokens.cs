using System;
using System.Threading;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// The cancellation tokens the call in progress on a store honors: its own (or the load's), and those of the nested
/// calls a host function made back in, innermost last. Any of them canceled stops the whole stack of calls.
/// </summary>
internal sealed class CallTokens
{
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
    public void Sleep(int milliseconds)
    {
        int count = (Call.CanBeCanceled ? 1 : 0) + _nestedCount;
        if (count == 0)
        {
            Thread.Sleep(milliseconds);
            return;
        }

        var handles = new WaitHandle[count];
        int next = 0;
        if (Call.CanBeCanceled)
        {
            handles[next++] = Call.WaitHandle;
        }

        for (int i = 0; i < _nestedCount; i++)
        {
            handles[next++] = _nested[i].WaitHandle;
        }

        WaitHandle.WaitAny(handles, milliseconds);
    }
}
