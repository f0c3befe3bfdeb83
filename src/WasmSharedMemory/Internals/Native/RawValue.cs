using System.Runtime.InteropServices;

namespace WasmSharedMemory.Internals.Native;

/// <summary>C's <c>wasmtime_val_raw_t</c>: a 16-byte union whose scalar members all sit at offset 0.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct RawValue
{
    [FieldOffset(0)]
    public int I32;

    [FieldOffset(0)]
    public long I64;

    [FieldOffset(0)]
    public float F32;

    [FieldOffset(0)]
    public double F64;
}
