using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// blake3-wasm 3.0.0's blake3.wasm, a minified Emscripten build of the BLAKE3 reference C code; its letters named
/// from the package's dist/wasm/blake3.js.
/// </summary>
[WasmModule("blake3.wasm")]
public sealed partial class Blake3Wasm
{
    /// <summary>The build's <c>malloc</c> (<c>h</c>) and <c>free</c> (<c>o</c>).</summary>
    public static readonly AllocatorContract Contract =
        AllocatorContract.Custom("blake3-wasm (Emscripten, minified)", "h", AllocatorParameters.Size, "o", FreeParameters.Pointer);

    /// <summary><c>__wasm_call_ctors</c>, run once by the caller.</summary>
    [WasmExport("e")]
    public partial void CallConstructors();

    /// <summary><c>hash_oneshot(input, length, output, outputLength)</c>.</summary>
    [WasmExport("f")]
    public partial void HashOneShot(WasmBuffer<byte> input, int length, WasmBuffer<byte> output, int outputLength);

    // blake3.js's asmLibraryArg: a = emscripten_resize_heap, b = emscripten_memcpy_big, c = __assert_fail.
    [WasmImport("a", "a")]
    private static int ResizeHeap(GuestMemory memory, int requestedSize) => Emscripten.ResizeHeap(memory, requestedSize);

    [WasmImport("a", "b")]
    private static void MemcpyBig(GuestMemory memory, int destination, int source, int count) =>
        memory.GetSpan<byte>((uint)source, count).CopyTo(memory.GetSpan<byte>((uint)destination, count));

    [WasmImport("a", "c")]
    private static void AssertFail(GuestMemory memory, int condition, int file, int line, int function) =>
        throw new InvalidOperationException($"blake3.wasm: assertion failed at line {line}.");
}
