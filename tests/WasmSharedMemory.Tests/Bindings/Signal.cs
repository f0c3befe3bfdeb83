using System;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>
/// Emscripten's signal.wasm through a binding, its exports checked at compile time against the file (the project
/// lists it in AdditionalFiles): <c>fir</c>'s five parameters, which no <c>GetFunction</c> overload reaches.
/// </summary>
[WasmModule("signal.wasm")]
public sealed partial class Signal
{
    [WasmExport("crc32")]
    public partial uint Crc32(ReadOnlySpan<byte> data, int length);

    [WasmExport("gain")]
    public partial void Gain(WasmBuffer<float> x, int length, float gain);

    [WasmExport("rms")]
    public partial float Rms(WasmBuffer<float> x, int length);

    [WasmExport("fir")]
    public partial void Fir(WasmBuffer<float> x, WasmBuffer<float> y, int length, WasmBuffer<float> taps, int tapCount);

    [WasmImport("env", "host_log")]
    private static void HostLog(GuestMemory memory, uint text, int length) => LastLog = memory.ReadUtf8(text, length);

    [System.ThreadStatic]
    private static string? t_lastLog;

    public static string? LastLog { get => t_lastLog; private set => t_lastLog = value; }
}
