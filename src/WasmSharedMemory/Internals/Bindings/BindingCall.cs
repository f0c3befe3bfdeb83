using System;
using System.Collections.Generic;
using System.Threading;
using WasmSharedMemory.Bindings;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>
/// A generated binding's call on the one guarded path: the generated <typeparamref name="TCall"/> writes its
/// arguments and reads its results through a <see cref="WasmCallFrame"/> over raw slots on the stack.
/// </summary>
internal struct BindingCall<TCall, TResult> : IGuestCall<TResult>
    where TCall : struct, IWasmCall<TResult>
{
    private readonly WasmBoundExport _export;
    private readonly uint _scratch;
    private readonly CancellationToken _cancellationToken;

    public BindingCall(WasmBoundExport export, uint scratch, TCall arguments, CancellationToken cancellationToken)
    {
        (_export, _scratch, Arguments, _cancellationToken) = (export, scratch, arguments, cancellationToken);
        Temporaries = null;
    }

    /// <summary>Gets the generated arguments; after the call, with the values it read back.</summary>
    public TCall Arguments;

    /// <summary>Gets the strings and span copies the call allocated, for the binding to free once the call is over.</summary>
    public List<IGuestBlock>? Temporaries;

    public readonly string Export => _export.Name;

    public readonly CancellationToken CancellationToken => _cancellationToken;

    public readonly bool Prepare(GuestInstance guest, out TResult result)
    {
        result = default!;
        return true;
    }

    public TResult Invoke(GuestInstance guest)
    {
        var frame = new WasmCallFrame(guest, _export, stackalloc RawValue[_export.Slots], _scratch);
        try
        {
            return Arguments.Invoke(ref frame);
        }
        finally
        {
            Temporaries = frame.Temporaries;
        }
    }
}
