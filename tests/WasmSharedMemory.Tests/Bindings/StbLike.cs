namespace WasmSharedMemory.Tests.Bindings;

/// <summary>The issue's <c>stbi_load_from_memory</c> shape: a buffer, its length, three out-pointers and an int.</summary>
[WasmModule]
public sealed partial class StbLike
{
    [WasmExport("load")]
    public partial int Load(WasmBuffer<byte> data, int length, out int width, out int height, out int channelsInFile, int desiredChannels);

    [WasmExport("twelve")]
    public partial double Twelve(int a, long b, float c, double d, int e, int f, int g, long h, float i, double j, int k, int l);
}
