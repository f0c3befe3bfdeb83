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
    /// <remarks>An exception it throws traps the guest; <see cref="ImportBinder"/> records it first.</remarks>
    void Invoke(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results);
}
