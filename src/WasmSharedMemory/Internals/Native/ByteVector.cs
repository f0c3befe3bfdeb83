using System.Runtime.InteropServices;

namespace WasmSharedMemory.Internals.Native;

/// <summary>C's <c>wasm_byte_vec_t</c> (and <c>wasm_name_t</c>): a size and a pointer to that many bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ByteVector
{
    public nuint Size;
    public byte* Data;
}
