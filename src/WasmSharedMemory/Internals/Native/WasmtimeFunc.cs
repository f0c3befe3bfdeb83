using System.Runtime.InteropServices;

namespace WasmSharedMemory.Internals.Native;

/// <summary>C's <c>wasmtime_func_t</c>: the owning store's id and a private index.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WasmtimeFunc
{
    public ulong StoreId;
    public nint Private;
}
