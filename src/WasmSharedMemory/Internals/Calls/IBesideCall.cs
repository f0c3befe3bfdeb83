namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// A call that may also run outside the gate, on another instance over the same memory, while another thread's call
/// holds the gate (<see cref="GuestInstance.TryCallBeside{TCall, TResult}"/>): a parallel module's kernel call.
/// </summary>
/// <typeparam name="TResult">What the call returns.</typeparam>
internal interface IBesideCall<TResult> : IGuestCall<TResult>
{
    /// <summary>
    /// Marks every buffer of the call as in use, so a free waits for the call to end; false, having marked none, when a
    /// buffer is null, disposed or belongs to another instance (the gate's path then reports it).
    /// </summary>
    bool TryPin(GuestInstance guest);

    /// <summary>Ends what <see cref="TryPin"/> marked.</summary>
    void Unpin();

    /// <summary>Calls the guest through <paramref name="kernels"/>, another instance's bound exports, on the whole of the call.</summary>
    TResult InvokeOn(GuestFunction[] kernels);
}
