using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// A function the host provides for a module's import: a user's callback from <see cref="WasmImports"/> or a
/// built-in default. Store-independent: one definition serves every host loaded with it.
/// </summary>
internal interface IHostFunction
{
    /// <summary>Gets the wasm signature the module's import must have.</summary>
    WasmSignature Signature { get; }

    /// <summary>Runs the function for a call from the guest of <paramref name="scope"/>; a result goes to <c>results[0]</c> when the import has one.</summary>
    /// <remarks>
    /// An exception it throws traps the guest; <see cref="ImportBinder"/> records it first. <paramref name="caller"/> reaches
    /// the calling instance's exports even while its start function runs, before <paramref name="scope"/> is attached.
    /// </remarks>
    void Invoke(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results);
}
