using System.Runtime.InteropServices;

namespace WasmSharedMemory.Internals.Native;

/// <summary>
/// C's <c>wasmtime_extern_t</c> on 64-bit targets: a kind byte, then (at offset 8) a 24-byte union; 32 bytes in
/// all, as Wasmtime.Dotnet's own declaration asserts. Only the shared-memory member is declared.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct WasmtimeExtern
{
    /// <summary><c>WASMTIME_EXTERN_SHAREDMEMORY</c>.</summary>
    public const byte SharedMemoryKind = 4;

    [FieldOffset(0)]
    public byte Kind;

    /// <summary>A <c>wasmtime_sharedmemory_t*</c> when <see cref="Kind"/> is <see cref="SharedMemoryKind"/>.</summary>
    [FieldOffset(8)]
    public nint SharedMemory;
}
