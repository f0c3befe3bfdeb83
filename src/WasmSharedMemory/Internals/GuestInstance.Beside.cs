using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Calls that do not queue behind another thread's: a parallel module's kernel call runs on an idle instance over the
/// same shared memory when another thread holds this instance's gate.
/// </summary>
internal sealed partial class GuestInstance
{
    /// <summary>Runs <paramref name="call"/> as <see cref="Call{TCall, TResult}"/> does if no other thread holds the gate; false, having done nothing, if one does.</summary>
    public bool TryCall<TCall, TResult>(ref TCall call, out TResult result)
        where TCall : struct, IGuestCall<TResult>
    {
        if (!_gate.TryEnter(out CallGate.Scope scope))
        {
            result = default!;
            return false;
        }

        using (scope)
        {
            // Entered again by Call: the gate is re-entrant, and the guarded path stays in one place.
            result = Call<TCall, TResult>(ref call);
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> outside the gate through <paramref name="kernels"/>, the bound exports of another
    /// instance over this one's shared memory, which the caller holds alone; false, having done nothing, when the call
    /// must take the gate instead (this instance is disposed or faulted, or a buffer is not a live one of it), where
    /// <see cref="Call{TCall, TResult}"/> reports why.
    /// </summary>
    /// <remarks>
    /// Safe beside the gate's holder: the call's buffers are pinned, so a free of one waits until the call ends (the
    /// allocator never hands out or touches a live block, so allocations may run meanwhile); memory stays mapped
    /// while the call holds an access (<see cref="Dispose"/> waits for it); the instance's store is never entered. Only
    /// for modules without call limits (a kernel module's instances have no epoch checks), so a failure is a trap.
    /// </remarks>
    /// <exception cref="WasmTrapException">The call trapped; this instance is faulted with it, as on the gate's path.</exception>
    public bool TryCallBeside<TCall, TResult>(ref TCall call, GuestFunction[] kernels, out TResult result)
        where TCall : struct, IBesideCall<TResult>
    {
        result = default!;
        if (!TryAccess(out GuestAccess access))
        {
            return false;
        }

        using (access)
        {
            if (!call.TryPin(this))
            {
                return false;
            }

            try
            {
                if (IsFaulted)
                {
                    return false; // the gate's path throws the fault
                }

                if (!call.Prepare(this, out result))
                {
                    return true;
                }

                long started = WasmMetrics.CallStarted();
                try
                {
                    result = call.InvokeOn(kernels);
                    return true;
                }
                catch (WasmtimeException ex)
                {
                    throw Trapped(call.Export, Fault(_limits.Failed(call.Export, ex)));
                }
                finally
                {
                    CallEnded(call.Export, started);
                }
            }
            finally
            {
                call.Unpin();
            }
        }
    }
}
