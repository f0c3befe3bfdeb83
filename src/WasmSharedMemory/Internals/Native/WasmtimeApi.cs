using System.Runtime.InteropServices;

namespace WasmSharedMemory.Internals.Native;

/// <summary>
/// The C API entry points of the Wasmtime package's own native library that Wasmtime.Dotnet does not publish.
/// Only <see cref="NativeBoundary"/> decides whether they are used; each signature is the one of the Wasmtime
/// version <c>Directory.Packages.props</c> pins (<c>crates/c-api/include/wasmtime/func.h</c>).
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
}
