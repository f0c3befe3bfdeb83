using System.Runtime.InteropServices;

namespace WasmSharedMemory.Internals.Native;

/// <summary>
/// The C API entry points of the Wasmtime package's own native library that Wasmtime.Dotnet does not publish.
/// Only <see cref="NativeBoundary"/> decides whether they are used; each signature is the one of the Wasmtime
/// version <c>Directory.Packages.props</c> pins (<c>crates/c-api/include/wasmtime/*.h</c> and <c>wasm.h</c>).
/// C's <c>bool</c> is one byte, so it crosses as <see cref="byte"/>.
/// </summary>
internal static unsafe class WasmtimeApi
{
    private const string Library = "wasmtime";

    /// <summary>
    /// <c>wasmtime_error_t *wasmtime_func_call_unchecked(wasmtime_context_t *store, const wasmtime_func_t *func,
    /// wasmtime_val_raw_t *args_and_results, size_t args_and_results_len, wasm_trap_t **trap)</c>.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nint wasmtime_func_call_unchecked(nint store, WasmtimeFunc* func, RawValue* argsAndResults, nuint argsAndResultsLength, nint* trap);

    /// <summary><c>void wasmtime_config_shared_memory_set(wasm_config_t*, bool)</c>: lets the engine create shared memories.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void wasmtime_config_shared_memory_set(nint config, byte enabled);

    /// <summary>
    /// <c>wasmtime_error_t *wasmtime_memorytype_new(uint64_t min, bool max_present, uint64_t max, bool is_64, bool shared,
    /// uint8_t page_size_log2, wasm_memorytype_t **ret)</c>: seven parameters since Wasmtime 25.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nint wasmtime_memorytype_new(ulong minimum, byte maximumPresent, ulong maximum, byte is64, byte shared, byte pageSizeLog2, nint* result);

    /// <summary><c>void wasm_memorytype_delete(wasm_memorytype_t*)</c>.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void wasm_memorytype_delete(nint type);

    /// <summary><c>wasmtime_error_t *wasmtime_sharedmemory_new(const wasm_engine_t*, const wasm_memorytype_t*, wasmtime_sharedmemory_t **ret)</c>.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nint wasmtime_sharedmemory_new(nint engine, nint type, nint* result);

    /// <summary><c>wasmtime_sharedmemory_t *wasmtime_sharedmemory_clone(const wasmtime_sharedmemory_t*)</c>: another reference to the same memory.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nint wasmtime_sharedmemory_clone(nint memory);

    /// <summary><c>uint8_t *wasmtime_sharedmemory_data(const wasmtime_sharedmemory_t*)</c>: the base, which never moves.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern byte* wasmtime_sharedmemory_data(nint memory);

    /// <summary><c>size_t wasmtime_sharedmemory_data_size(const wasmtime_sharedmemory_t*)</c>: the current size in bytes, as any instance grew it.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nuint wasmtime_sharedmemory_data_size(nint memory);

    /// <summary><c>wasmtime_error_t *wasmtime_sharedmemory_grow(const wasmtime_sharedmemory_t*, uint64_t delta, uint64_t *prev_size)</c>: grows by pages.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nint wasmtime_sharedmemory_grow(nint memory, ulong delta, ulong* previousPages);

    /// <summary><c>void wasmtime_sharedmemory_delete(wasmtime_sharedmemory_t*)</c>: drops this reference; instances hold their own.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void wasmtime_sharedmemory_delete(nint memory);

    /// <summary>
    /// <c>wasmtime_error_t *wasmtime_linker_define(wasmtime_linker_t*, wasmtime_context_t *store, const char *module,
    /// size_t module_len, const char *name, size_t name_len, const wasmtime_extern_t *item)</c>: copies the item.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern nint wasmtime_linker_define(nint linker, nint store, byte* module, nuint moduleLength, byte* name, nuint nameLength, WasmtimeExtern* item);

    /// <summary><c>void wasmtime_error_message(const wasmtime_error_t*, wasm_name_t *message)</c>.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void wasmtime_error_message(nint error, ByteVector* message);

    /// <summary><c>void wasmtime_error_delete(wasmtime_error_t*)</c>.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void wasmtime_error_delete(nint error);

    /// <summary><c>void wasm_byte_vec_delete(wasm_byte_vec_t*)</c>.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern void wasm_byte_vec_delete(ByteVector* vector);
}
