using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// A function the host defines by itself for an import a toolchain adds to every module it builds, used only
/// when the module imports it with exactly this signature and the user defined nothing by that name.
/// </summary>
internal sealed class BuiltInImport : IHostFunction
{
    private readonly ScopedBody _body;

    public BuiltInImport(string module, string name, string toolchain, WasmSignature signature, Body body)
        : this(module, name, toolchain, signature, (scope, caller, arguments, results) => body(caller, arguments, results))
    {
    }

    public BuiltInImport(string module, string name, string toolchain, WasmSignature signature, ScopedBody body)
    {
        (Module, Name, Toolchain, Signature, _body) = (module, name, toolchain, signature, body);
    }

    /// <summary>What the function does for one call.</summary>
    public delegate void Body(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results);

    /// <summary>What a function that reaches the calling instance (its memory, its growth) does for one call.</summary>
    public delegate void ScopedBody(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results);

    public string Module { get; }

    public string Name { get; }

    /// <summary>Gets the toolchain whose modules import it, for messages and docs.</summary>
    public string Toolchain { get; }

    public WasmSignature Signature { get; }

    public void Invoke(HostCallScope scope, Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results) => _body(scope, caller, arguments, results);

    /// <summary>Gets a value indicating whether it can serve <paramref name="import"/>: the same parameters, and the same result or none wanted.</summary>
    public bool Serves(FunctionImport import) =>
        Signature.Is(import.Parameters, import.Results) || (import.Results.Count == 0 && Signature.Takes(import.Parameters));

    /// <summary>Describes it as messages show it, for example <c>env.seed () -> f64 (AssemblyScript)</c>.</summary>
    public override string ToString() => $"{Module}.{Name} {Signature.Text} ({Toolchain})";
}
