using System;
using Wasmtime;
using WasmSharedMemory.Bindings;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Imports;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>A generated binding's import: any arity, its arguments read by the generated callback straight from the values Wasmtime passes.</summary>
internal sealed class BindingHostFunction : IHostFunction
{
    private readonly WasmImportCallback _callback;

    public BindingHostFunction(WasmSignature signature, WasmImportCallback callback) => (Signature, _callback) = (signature, callback);

    public WasmSignature Signature { get; }

    public void Invoke(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        var frame = new WasmImportFrame(scope, arguments, results);
        _callback(ref frame);
    }
}
