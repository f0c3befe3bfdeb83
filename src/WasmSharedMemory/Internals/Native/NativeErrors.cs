using System.Text;

namespace WasmSharedMemory.Internals.Native;

/// <summary>Reads and frees a <c>wasmtime_error_t*</c> without Wasmtime.Dotnet's private factory, which the call-path switch may have turned off.</summary>
internal static unsafe class NativeErrors
{
    /// <summary>Takes ownership of <paramref name="error"/> (non-zero) and returns its message.</summary>
    public static string Take(nint error)
    {
        ByteVector message = default;
        try
        {
            WasmtimeApi.wasmtime_error_message(error, &message);
            return message.Data is null ? "(no message)" : Encoding.UTF8.GetString(message.Data, checked((int)message.Size));
        }
        finally
        {
            WasmtimeApi.wasm_byte_vec_delete(&message);
            WasmtimeApi.wasmtime_error_delete(error);
        }
    }
}
