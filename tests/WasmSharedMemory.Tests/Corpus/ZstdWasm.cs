using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// @bokuweb/zstd-wasm 0.0.27's zstd.wasm, a minified Emscripten build as published: exports and imports are single
/// letters, named here from the package's own JavaScript (dist/common/zstd.js maps each one).
/// </summary>
[WasmModule("zstd.wasm")]
public sealed partial class ZstdWasm
{
    /// <summary>The build's <c>malloc</c> (<c>s</c>) and <c>free</c> (<c>t</c>).</summary>
    public static readonly AllocatorContract Contract =
        AllocatorContract.Custom("zstd-wasm (Emscripten, minified)", "s", AllocatorParameters.Size, "t", FreeParameters.Pointer);

    /// <summary><c>__wasm_call_ctors</c>: under its minified name the host cannot know it, so the caller runs it once.</summary>
    [WasmExport("g")]
    public partial void CallConstructors();

    [WasmExport("h")]
    public partial int IsError(int code);

    [WasmExport("i")]
    public partial int CompressBound(int size);

    /// <summary><c>ZSTD_compress(dst, dstCapacity, src, srcSize, level)</c>.</summary>
    [WasmExport("m")]
    public partial int Compress(WasmBuffer<byte> destination, int capacity, WasmBuffer<byte> source, int length, int level);

    /// <summary><c>ZSTD_decompress(dst, dstCapacity, src, srcSize)</c>.</summary>
    [WasmExport("r")]
    public partial int Decompress(WasmBuffer<byte> destination, int capacity, WasmBuffer<byte> source, int length);

    // The minified imports are the user's to define (zstd.js's wasmImports): a = proc_exit, b = keepalive_clear,
    // c = abort, d = setitimer, e = emscripten_resize_heap, this one through GuestMemory.Grow.
    [WasmImport("a", "a")]
    private static void Exit(int code) => throw new InvalidOperationException($"zstd.wasm called proc_exit({code}).");

    [WasmImport("a", "b")]
    private static void KeepaliveClear()
    {
    }

    [WasmImport("a", "c")]
    private static void Abort() => throw new InvalidOperationException("zstd.wasm aborted.");

    [WasmImport("a", "d")]
    private static int SetTimer(int which, double milliseconds) => 0;

    [WasmImport("a", "e")]
    private static int ResizeHeap(GuestMemory memory, int requestedSize) => Emscripten.ResizeHeap(memory, requestedSize);
}

/// <summary>What a user writes for a minified Emscripten build's <c>emscripten_resize_heap</c>: grow to the size asked for.</summary>
internal static class Emscripten
{
    /// <summary>Grows <paramref name="memory"/> to at least <paramref name="requestedSize"/> bytes; 1 when it did, 0 when it could not.</summary>
    public static int ResizeHeap(GuestMemory memory, int requestedSize)
    {
        long missing = (uint)requestedSize - memory.Length;
        return missing <= 0 || memory.Grow((missing + 65535) / 65536) >= 0 ? 1 : 0;
    }
}
