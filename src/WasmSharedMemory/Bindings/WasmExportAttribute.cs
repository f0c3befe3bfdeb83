using System;

namespace WasmSharedMemory;

/// <summary>
/// Marks a <see langword="partial"/> instance method of a <see cref="WasmModuleAttribute"/> class as a call of the
/// module's export <see cref="Name"/>; the source generator implements it with no reflection, no delegate and,
/// for scalar, buffer and <see langword="out"/>/<see langword="ref"/>/<see langword="in"/> parameters, no allocation.
/// </summary>
/// <remarks>
/// Parameters: <see cref="sbyte"/>, <see cref="byte"/>, <see cref="short"/>, <see cref="ushort"/>, <see cref="int"/>,
/// <see cref="uint"/>, <see cref="bool"/> and enums of those (<c>i32</c>); <see cref="long"/>, <see cref="ulong"/>
/// (<c>i64</c>); <see cref="float"/>; <see cref="double"/>; <see cref="WasmBuffer{T}"/> (its address, checked);
/// <see langword="out"/>, <see langword="ref"/> and <see langword="in"/> of an unmanaged type (the address of a
/// scratch region the host keeps per export); <see cref="string"/> (zero-terminated UTF-8, freed after the call);
/// <see cref="ReadOnlySpan{T}"/>, arrays and <see cref="Span{T}"/> (copied into a temporary block, and back for
/// <see cref="Span{T}"/>; these need <c>AllowUnsafeBlocks</c>); a trailing <see cref="System.Threading.CancellationToken"/>
/// cancels the call (a cancelable one given to a host compiled without interruption checks throws
/// <see cref="NotSupportedException"/> and nothing runs). A parameter marked <see cref="WasmTransferAttribute"/> is
/// handed to the guest instead of freed. Results: <see langword="void"/>, the scalar types, <see cref="bool"/>, enums, and
/// <c>string?</c> (a zero-terminated UTF-8 string the module owns; 0 is <see langword="null"/>). Under
/// <see cref="WasmConvention.WasmBindgen"/> (<see cref="WasmModuleAttribute.Convention"/>) strings, spans, arrays and
/// buffers cross as wasm-bindgen passes them, and <see cref="string"/> and array results come back through its return area.
/// Calls are thread-safe, limited and faulted exactly as those of <see cref="WasmHost.GetFunction{TResult}(string, System.Threading.CancellationToken)"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WasmExportAttribute : Attribute
{
    /// <summary>Initializes a new instance for the export <paramref name="name"/>.</summary>
    /// <param name="name">The export's name in the module.</param>
    public WasmExportAttribute(string name) => Name = name;

    /// <summary>Gets the export's name in the module.</summary>
    public string Name { get; }
}
