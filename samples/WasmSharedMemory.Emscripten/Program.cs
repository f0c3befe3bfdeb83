// Shares typed buffers with a module Emscripten built (c/signal.c, compiled by Debian's emcc 3.1.6 as a
// standalone reactor: c/build.sh). Nothing tells the host which allocator to use: malloc/free identify the C
// one. The module is a reactor, so the host runs its _initialize once at load, which runs the C constructor
// that builds crc32's table. It imports env.host_log, a [WasmImport] method of Signal (Signal.cs) registered by
// the generated Signal.DefineImports, and env.emscripten_notify_memory_growth, which the host defines itself
// (linear memory never moves here, so there is nothing to refresh). The exports are called through Signal, a
// binding the source generator writes at compile time and checks against signal.wasm, including the
// five-parameter fir. Every result is checked against C#; any mismatch exits with 1.
using System;
using System.IO;
using System.Text;
using WasmSharedMemory;

bool ok = true;

var options = new WasmHostOptions();
Signal.DefineImports(options.Imports);

using WasmHost host = WasmHost.FromFile(Path.Combine(AppContext.BaseDirectory, "signal.wasm"), options: options);
Console.WriteLine($"signal.wasm: contract {host.Contract}");

// The generated constructor binds every export Signal declares, once, and checks each signature now.
var signal = new Signal(host);

Check("_initialize ran", () =>
{
    // GetFunction stays for dynamic use: an export whose name is only known at run time (from configuration, a
    // plugin's optional entry point), bound by name and checked when bound. Signal declares the exports this
    // sample knows when it is written; "initialized" is looked up here by its name the dynamic way.
    string export = "initialized";
    int runs = host.GetFunction<int>(export)();
    Console.WriteLine($"  the C constructor ran {runs} time(s)");
    return runs == 1;
});

Check("crc32", () =>
{
    // CRC-32's standard check value, which needs the table the constructor built.
    byte[] check = Encoding.ASCII.GetBytes("123456789");
    using WasmBuffer<byte> data = host.Allocate<byte>(check.Length);
    data.CopyFrom(check);
    uint crc = signal.Crc32(data, data.Length);
    Console.WriteLine($"  crc32(\"123456789\") = 0x{crc:X8}");
    return crc == 0xCBF43926u;
});

Check("pcm16_to_float, gain and rms", () =>
{
    const int n = 4800;
    using WasmBuffer<short> pcm = host.Allocate<short>(n);
    using WasmBuffer<float> samples = host.Allocate<float>(n);
    for (int i = 0; i < n; i++) pcm.Span[i] = (short)(Math.Sin(i * 2 * Math.PI * 440 / 48000) * 20000);

    signal.Pcm16ToFloat(pcm, samples, n);
    float[] expected = Array.ConvertAll(pcm.ToArray(), s => s / 32768f);
    bool converted = Same(expected, samples.ToArray());

    signal.Gain(samples, n, 0.5f);
    expected = Array.ConvertAll(expected, v => v * 0.5f);
    float total = 0f;
    foreach (float v in expected) total += v * v;
    float expectedRms = MathF.Sqrt(total / n);
    float rms = signal.Rms(samples, n);
    Console.WriteLine($"  rms {rms} (C# {expectedRms})");
    return converted && Same(expected, samples.ToArray()) && rms == expectedRms;
});

Check("fir", () =>
{
    // A 440 Hz tone plus a 9 kHz one through a 15-tap low-pass (a windowed sinc), five parameters in one call.
    const int n = 4800, tapCount = 15;
    using WasmBuffer<float> x = host.Allocate<float>(n);
    using WasmBuffer<float> y = host.Allocate<float>(n);
    using WasmBuffer<float> taps = host.Allocate<float>(tapCount);
    for (int i = 0; i < n; i++) x.Span[i] = (float)(Math.Sin(i * 2 * Math.PI * 440 / 48000) + (0.5 * Math.Sin(i * 2 * Math.PI * 9000 / 48000)));
    for (int k = 0; k < tapCount; k++)
    {
        double t = k - ((tapCount - 1) / 2.0);
        double sinc = t == 0 ? 1 : Math.Sin(Math.PI * t / 4) / (Math.PI * t / 4);
        taps.Span[k] = (float)(sinc * (0.54 - (0.46 * Math.Cos(2 * Math.PI * k / (tapCount - 1)))) / 4);
    }

    y.Span.Fill(float.NaN); // every output must be written
    signal.Fir(x, y, n, taps, tapCount);
    float[] expected = Fir(x.ToArray(), taps.ToArray());
    float[] got = y.ToArray();
    Console.WriteLine($"  {n} samples, {tapCount} taps: y[7] {got[7]} (C# {expected[7]}), y[{n - 1}] {got[n - 1]} (C# {expected[n - 1]})");
    return Same(expected, got);
});

Check("clip", () =>
{
    using WasmBuffer<float> samples = host.Allocate<float>(6);
    samples.CopyFrom(new[] { 0.2f, 1.7f, -3f, 0.9f, float.NaN, -0.95f });
    Signal.Logs.Clear();
    int clamped = signal.Clip(samples, samples.Length, 0.9f);
    Console.WriteLine($"  host_log received: \"{string.Join("|", Signal.Logs)}\"");
    float[] got = samples.ToArray();
    return clamped == 3 && got[0] == 0.2f && got[1] == 0.9f && got[2] == -0.9f && got[3] == 0.9f && float.IsNaN(got[4]) && got[5] == -0.9f
        && Signal.Logs.Count == 1 && Signal.Logs[0] == "clip: 6 samples \u2192 3 clamped";
});

Check("memory growth under a held span", () =>
{
    using WasmBuffer<float> held = host.Allocate<float>(256);
    Span<float> span = held.Span;
    for (int i = 0; i < span.Length; i++) span[i] = i;
    long before = host.MemoryBytes;
    int pages = signal.GrowHeap(16 << 20); // malloc grows memory and notifies the host
    Console.WriteLine($"  memory grew from {before >> 20} MiB to {host.MemoryBytes >> 20} MiB ({pages} pages)");
    bool intact = true;
    for (int i = 0; i < span.Length; i++) intact &= span[i] == i;
    signal.GrowHeap(0);
    return intact && host.MemoryBytes > before && pages == host.MemoryBytes / 65536;
});

Console.WriteLine($"live buffers: {host.LiveBuffers}; {(ok ? "all results match" : "MISMATCH")}");
return ok && host.LiveBuffers == 0 ? 0 : 1;

void Check(string name, Func<bool> check)
{
    bool passed = check();
    Console.WriteLine($"{name}: {(passed ? "matches" : "MISMATCH")}");
    ok &= passed;
}

// The C filter's arithmetic exactly: for each output, taps[k] * x[i - k] for k = 0 up to the last tap or i,
// added in that order in single precision (the inputs before x[0] are zero, so their terms are left out).
static float[] Fir(float[] x, float[] taps)
{
    var y = new float[x.Length];
    for (int i = 0; i < x.Length; i++)
    {
        float acc = 0f;
        for (int k = 0; k < taps.Length && k <= i; k++) acc += taps[k] * x[i - k];
        y[i] = acc;
    }

    return y;
}

static bool Same<T>(T[] expected, T[] actual)
    where T : IEquatable<T> => expected.AsSpan().SequenceEqual(actual);
