using WasmSharedMemory;

/// <summary>
/// imaging.wasm's kernels as C# methods, implemented at compile time by the package's source generator. The project
/// lists imaging.wasm in AdditionalFiles, so each declaration below is checked against the module's own export
/// section when the sample compiles: a wrong name or signature is a build error, not a run-time surprise.
/// Buffers cross as <see cref="WasmBuffer{T}"/>: the binding passes each one's checked address (right owner, not
/// disposed), so no call site casts an address.
/// </summary>
[WasmModule("imaging.wasm")]
internal sealed partial class Imaging
{
    /// <summary><c>void box_blur(float *pixels, int width, int height)</c>: a 3x3 box blur in place.</summary>
    [WasmExport("box_blur")]
    public partial void BoxBlur(WasmBuffer<float> pixels, int width, int height);

    /// <summary><c>float sum(const float *values, int n)</c>: added left to right in single precision.</summary>
    [WasmExport("sum")]
    public partial float Sum(WasmBuffer<float> values, int count);

    /// <summary><c>void brighten(uint8_t *rgba, int n, int amount)</c>: n RGBA pixels, clamped to 0..255.</summary>
    [WasmExport("brighten")]
    public partial void Brighten(WasmBuffer<byte> rgba, int pixels, int amount);

    /// <summary>
    /// <c>int luma_histogram(const uint8_t *rgba, int n)</c>: the most frequent luma; the bins go to the host's
    /// <c>env.host_histogram</c> during the call.
    /// </summary>
    [WasmExport("luma_histogram")]
    public partial int LumaHistogram(WasmBuffer<byte> rgba, int pixels);
}
