using System;

namespace WasmSharedMemory;

/// <summary>
/// Marks a binding parameter whose block the export takes ownership of (a <see cref="string"/>, a
/// <see cref="ReadOnlySpan{T}"/>, an array or a <see cref="WasmBuffer{T}"/>): the block is allocated for the call
/// through the module's allocator and never freed by the host, because the guest frees it, as a Rust function does
/// with its <c>String</c> or <c>Vec</c> arguments.
/// </summary>
/// <remarks>
/// A <see cref="WasmBuffer{T}"/> passed so is released (<see cref="WasmBuffer{T}.Release"/>) before the export runs and
/// behaves as disposed afterwards. Under <see cref="WasmConvention.WasmBindgen"/>, strings, spans and arrays are
/// transferred whether or not they are marked, as wasm-bindgen's JavaScript passes them.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class WasmTransferAttribute : Attribute
{
}
