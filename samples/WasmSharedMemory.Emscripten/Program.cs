// Shares typed buffers with a module Emscripten built (c/signal.c, compiled by Debian's emcc 3.1.6 as a
// standalone reactor: c/build.sh). Nothing tells the host which allocator to use: malloc/free identify the C
// one. The module is a reactor, so the host runs its _initialize once at load, which runs the C constructor
// that builds crc32's table. It imports env.host_log, defined below, and env.emscripten_notify_memory_growth,
// which the host defines itself (linear memory never moves here, so there is nothing to refresh). Every result
// is checked against C#; any mismatch exits with 1.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using WasmSharedMemory;

bool ok = true;

var logs = new List<string>();
var options = new WasmHostOptions();
// host_log(ptr, byteLength): UTF-8 in the module's memory, read where it lies, valid only during the call.
options.Imports.Define("env", "host_log", (GuestMemory memory, int ptr, int byteLength) => logs.Add(memory.ReadUtf8((uint)ptr, byteLength)));

using WasmHost host = WasmHost.FromFile(Path.Combine(AppContext.BaseDirectory, "signal.wasm"), options: options);
Console.WriteLine($"signal.wasm: contract {host.Contract}");

Check("_initialize ran", () =>
{
    int runs = host.GetFunction<int>("initialized")();
    Console.WriteLine($"  the C constructor ran {runs} time(s)");
    return runs == 1;
});

Check("crc32", () =>
{
    // CRC-32's standard check value, which needs the table the constructor built.
    byte[] check = Encoding.ASCII.GetBytes("123456789");
    using WasmBuffer<byte> data = host.Allocate<byte>(check.Length);
    data.CopyFrom(check);
    uint crc = (uint)host.GetFunction<int, int, int>("crc32")((int)data.Address, data.Length);
    Console.WriteLine($"  crc32(\"123456789\") = 0x{crc:X8}");
    return crc == 0xCBF43926u;
});

Check("pcm16_to_float, gain and rms", () =>
{
    const int n = 4800;
    using WasmBuffer<short> pcm = host.Allocate<short>(n);
    using WasmBuffer<float> samples = host.Allocate<float>(n);
    for (int i = 0; i < n; i++) pcm.Span[i] = (short)(Math.Sin(i * 2 * Math.PI * 440 / 48000) * 20000);

    host.GetAction<int, int, int>("pcm16_to_float")((int)pcm.Address, (int)samples.Address, n);
    float[] expected = Array.ConvertAll(pcm.ToArray(), s => s / 32768f);
    bool converted = Same(expected, samples.ToArray());

    host.GetAction<int, int, float>("gain")((int)samples.Address, n, 0.5f);
    expected = Array.ConvertAll(expected, v => v * 0.5f);
    float total = 0f;
    foreach (float v in expected) total += v * v;
    float expectedRms = MathF.Sqrt(total / n);
    float rms = host.GetFunction<int, int, float>("rms")((int)samples.Address, n);
    Console.WriteLine($"  rms {rms} (C# {expectedRms})");
    return converted && Same(expected, samples.ToArray()) && rms == expectedRms;
});

Check("clip", () =>
{
    using WasmBuffer<float> samples = host.Allocate<float>(6);
    samples.CopyFrom(new[] { 0.2f, 1.7f, -3f, 0.9f, float.NaN, -0.95f });
    logs.Clear();
    int clamped = host.GetFunction<int, int, float, int>("clip")((int)samples.Address, samples.Length, 0.9f);
    Console.WriteLine($"  host_log received: \"{string.Join("|", logs)}\"");
    float[] got = samples.ToArray();
    return clamped == 3 && got[0] == 0.2f && got[1] == 0.9f && got[2] == -0.9f && got[3] == 0.9f && float.IsNaN(got[4]) && got[5] == -0.9f
        && logs.Count == 1 && logs[0] == "clip: 6 samples \u2192 3 clamped";
});

Check("memory growth under a held span", () =>
{
    using WasmBuffer<float> held = host.Allocate<float>(256);
    Span<float> span = held.Span;
    for (int i = 0; i < span.Length; i++) span[i] = i;
    long before = host.MemoryBytes;
    int pages = host.GetFunction<int, int>("grow_heap")(16 << 20); // malloc grows memory and notifies the host
    Console.WriteLine($"  memory grew from {before >> 20} MiB to {host.MemoryBytes >> 20} MiB ({pages} pages)");
    bool intact = true;
    for (int i = 0; i < span.Length; i++) intact &= span[i] == i;
    host.GetFunction<int, int>("grow_heap")(0);
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

static bool Same<T>(T[] expected, T[] actual)
    where T : IEquatable<T> => expected.AsSpan().SequenceEqual(actual);
