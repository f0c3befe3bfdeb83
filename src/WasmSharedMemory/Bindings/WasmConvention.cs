namespace WasmSharedMemory;

/// <summary>How a binding's strings, spans, arrays and buffers cross into a module's exports and back.</summary>
public enum WasmConvention
{
    /// <summary>
    /// C's, the default: a <see cref="string"/> is a zero-terminated UTF-8 pointer, a span or buffer a pointer (its
    /// length, where the export wants one, is a parameter of its own), both freed by the host after the call unless
    /// marked <see cref="WasmTransferAttribute"/>; a <c>string?</c> result is a zero-terminated string the module owns.
    /// </summary>
    C = 0,

    /// <summary>
    /// wasm-bindgen's, as the JavaScript it generates calls the exports: a <see cref="string"/>, a
    /// <see cref="System.ReadOnlySpan{T}"/>, an array or a <see cref="WasmBuffer{T}"/> is a pointer and a length (two
    /// <c>i32</c>s); strings, read-only spans and arrays are allocated with the module's <c>malloc</c> and owned by
    /// the guest from then on; a <see cref="System.Span{T}"/> is copied back and freed by the host; a buffer stays the
    /// caller's unless marked <see cref="WasmTransferAttribute"/>. A <see cref="string"/> or array result comes back
    /// through wasm-bindgen's return area (a leading <c>i32</c> from <c>__wbindgen_add_to_stack_pointer</c>) as a
    /// pointer and a length, is copied out and freed with the module's own free.
    /// </summary>
    WasmBindgen = 1,
}
