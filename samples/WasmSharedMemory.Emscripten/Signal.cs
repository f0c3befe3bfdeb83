using System.Collections.Generic;
using WasmSharedMemory;

/// <summary>
/// signal.wasm's C functions as C# methods, implemented at compile time by the package's source generator and
/// checked against the module's export section (the project lists signal.wasm in AdditionalFiles). Buffers cross as
/// <see cref="WasmBuffer{T}"/>, each passed as its checked address; <c>fir</c>'s five parameters need nothing more
/// than the others'.
/// </summary>
[WasmModule("signal.wasm")]
internal sealed partial class Signal
{
    /// <summary><c>uint32_t crc32(const uint8_t *data, int n)</c>: needs the table the C constructor built.</summary>
    [WasmExport("crc32")]
    public partial uint Crc32(WasmBuffer<byte> data, int length);

    /// <summary><c>void pcm16_to_float(const int16_t *pcm, float *out, int n)</c>: out[i] = pcm[i] / 32768.</summary>
    [WasmExport("pcm16_to_float")]
    public partial void Pcm16ToFloat(WasmBuffer<short> pcm, WasmBuffer<float> output, int length);

    /// <summary><c>void gain(float *x, int n, float g)</c>: in place.</summary>
    [WasmExport("gain")]
    public partial void Gain(WasmBuffer<float> x, int length, float gain);

    /// <summary><c>float rms(const float *x, int n)</c>: in single precision at every step.</summary>
    [WasmExport("rms")]
    public partial float Rms(WasmBuffer<float> x, int length);

    /// <summary>
    /// <c>void fir(const float *x, float *y, int n, const float *taps, int ntaps)</c>: y[i] = taps[0] x[i] + taps[1]
    /// x[i - 1] + ..., x[j] = 0 for j &lt; 0, summed in that order in single precision. Before 0.3.0 only the Node
    /// check called it: GetAction stopped at four parameters.
    /// </summary>
    [WasmExport("fir")]
    public partial void Fir(WasmBuffer<float> x, WasmBuffer<float> y, int length, WasmBuffer<float> taps, int tapCount);

    /// <summary><c>int clip(float *x, int n, float limit)</c>: clamps in place, returns the count, logs through host_log.</summary>
    [WasmExport("clip")]
    public partial int Clip(WasmBuffer<float> x, int length, float limit);

    /// <summary><c>int grow_heap(int bytes)</c>: keeps a malloc'ed block of that size; returns the memory size in pages.</summary>
    [WasmExport("grow_heap")]
    public partial int GrowHeap(int bytes);

    /// <summary>What <c>env.host_log</c> received, in order. Static because the import is: one module per process here.</summary>
    public static List<string> Logs { get; } = new();

    /// <summary>
    /// <c>void host_log(const char *message, int byte_length)</c>: UTF-8 in the module's memory, read where it lies,
    /// valid only during the call. The generated <c>Signal.DefineImports</c> registers it.
    /// </summary>
    [WasmImport("env", "host_log")]
    private static void HostLog(GuestMemory memory, uint message, int byteLength) => Logs.Add(memory.ReadUtf8(message, byteLength));
}
