namespace WasmSharedMemory.Tests.Bindings;

/// <summary>
/// stb.wasm declared wrongly, with no file named so only the run-time check sees it: <c>LoadFromMemory</c> lacks a
/// parameter, <c>FailureReason</c> returns i64, <c>LoadGif</c> names an export stb.wasm does not have;
/// <c>InfoFromMemory</c> is right.
/// </summary>
[WasmModule]
public sealed partial class WrongStb
{
    [WasmExport("stbi_info_from_memory")]
    public partial bool InfoFromMemory(WasmBuffer<byte> buffer, int length, out int width, out int height, out int channels);

    [WasmExport("stbi_load_from_memory")]
    public partial uint LoadFromMemory(WasmBuffer<byte> buffer, int length, out int width, out int height, out int channels);

    [WasmExport("stbi_failure_reason")]
    public partial long FailureReason();

    [WasmExport("stbi_load_gif_from_memory")]
    public partial uint LoadGif(WasmBuffer<byte> buffer, int length);
}
