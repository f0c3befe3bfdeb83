using System.Collections.Generic;
using System.ComponentModel;
using System.Threading;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Bindings;

namespace WasmSharedMemory.Bindings;

/// <summary>
/// What one instance of a generated binding calls through: the module's instance, whose scratch region for each
/// export holds that export's <see langword="out"/>, <see langword="ref"/> and <see langword="in"/> values.
/// </summary>
/// <remarks>
/// For the source generator's code; not meant to be used directly. An export's scratch region is allocated once per
/// host, through the module's allocator, when the first binding of it is built, and kept for the host's life as the
/// library's own: it does not count in <see cref="WasmHost.LiveBuffers"/>, and every later binding of the export on
/// that host uses it, so constructing bindings allocates nothing. A call is thread-safe exactly as a
/// <see cref="WasmHost.GetFunction{TResult}(string)"/> delegate's is: the scratch values are written,
/// the export called and the values read back inside the one guarded call. An export that reaches itself again
/// through a host function, inside the same call (through this binding or another), shares its scratch region with
/// the outer call.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WasmBinding
{
    private readonly GuestInstance _guest;

    internal WasmBinding(GuestInstance guest) => _guest = guest;

    /// <summary>Calls <paramref name="export"/> through the one guarded call path with the arguments <paramref name="call"/> writes, and copies back what it reads.</summary>
    /// <typeparam name="TCall">The generated call struct.</typeparam>
    /// <typeparam name="TResult">The export's .NET result type.</typeparam>
    /// <param name="export">The export, bound by this binding's builder.</param>
    /// <param name="call">The arguments; after the call, the values of <see langword="out"/> and <see langword="ref"/> parameters.</param>
    /// <param name="cancellationToken">Stops the call, as for a <see cref="WasmHost.GetFunction{TResult}(string, CancellationToken)"/> delegate.</param>
    /// <returns>What <paramref name="call"/> read as the result.</returns>
    /// <exception cref="WasmTrapException">The export trapped; the host is faulted.</exception>
    /// <exception cref="WasmModuleFaultedException">An earlier call faulted the host.</exception>
    /// <exception cref="System.ObjectDisposedException">The host or a buffer argument has been disposed.</exception>
    /// <exception cref="System.TimeoutException">The call ran past the host's call timeout.</exception>
    /// <exception cref="System.OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="System.NotSupportedException"><paramref name="cancellationToken"/> can be canceled and the host was compiled without interruption checks (as the kernel module is); nothing ran.</exception>
    public TResult Call<TCall, TResult>(WasmBoundExport export, ref TCall call, CancellationToken cancellationToken)
        where TCall : struct, IWasmCall<TResult>
    {
        var guarded = new BindingCall<TCall, TResult>(export, export.ScratchAddress, call, cancellationToken);
        bool returned = false;
        try
        {
            TResult result = _guest.Call<BindingCall<TCall, TResult>, TResult>(ref guarded);
            returned = true;
            return result;
        }
        finally
        {
            call = guarded.Arguments;
            if (guarded.Temporaries is { } temporaries)
            {
                Release(temporaries, returned);
            }
        }
    }

    /// <summary>
    /// Frees a call's strings and span copies after the guarded call has recorded any fault, so a block of a
    /// faulted or disposed host is detached and uncounted instead of freed into it.
    /// </summary>
    private void Release(List<IGuestBlock> temporaries, bool callReturned)
    {
        System.Exception? failure = null;
        foreach (IGuestBlock block in temporaries)
        {
            try
            {
                _guest.Heap.Free(block);
            }
            catch (System.Exception ex)
            {
                // A free that traps faults the host, so the blocks after it are only detached: keep going.
                failure ??= ex;
            }
        }

        // The call's own exception, if it threw, is the one the caller needs to see.
        if (failure is not null && callReturned)
        {
            throw failure;
        }
    }
}
