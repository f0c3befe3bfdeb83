namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// zstddec 0.3.4's module, a standalone Emscripten build (unminified C exports, <c>malloc</c>/<c>free</c> detected,
/// <c>emscripten_notify_memory_growth</c> built in): nothing for the user to define.
/// </summary>
[WasmModule("zstddec.wasm")]
public sealed partial class ZstdDec
{
    [WasmExport("ZSTD_isError")]
    public partial int IsError(int code);

    [WasmExport("ZSTD_findDecompressedSize")]
    public partial long FindDecompressedSize(WasmBuffer<byte> source, int length);

    [WasmExport("ZSTD_decompress")]
    public partial int Decompress(WasmBuffer<byte> destination, int capacity, WasmBuffer<byte> source, int length);
}
