namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// One call into a guest, as <see cref="GuestInstance.Call{TCall, TResult}"/> runs it. Implemented by structs,
/// so every call site is specialized by the JIT and allocates nothing.
/// </summary>
/// <typeparam name="TResult">What the call returns.</typeparam>
internal interface IGuestCall<TResult>
{
    /// <summary>Gets the export a failure is reported against.</summary>
    string Export { get; }

    /// <summary>Gets the token that stops the call, checked before it and at every epoch tick during it.</summary>
    System.Threading.CancellationToken CancellationToken { get; }

    /// <summary>
    /// Runs under the gate before anything else: validates operands and does bookkeeping. Returns false, with
    /// <paramref name="result"/> set, to finish without entering the guest and without checking that the
    /// instance is usable (freeing a buffer of a disposed or faulted instance); true to enter it.
    /// </summary>
    bool Prepare(GuestInstance guest, out TResult result);

    /// <summary>Runs under the gate with the instance usable and the call's limits armed: calls the guest.</summary>
    TResult Invoke(GuestInstance guest);
}
