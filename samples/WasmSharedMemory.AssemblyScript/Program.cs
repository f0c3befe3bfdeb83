// Shares typed buffers with a module the AssemblyScript compiler built (assembly/scale.ts, compiled by asc
// 0.27.37 with its garbage-collected runtime exported: assembly/build.sh). Nothing tells the host which
// allocator to use: __new/__pin/__unpin identify AssemblyScript's, so each buffer is a pinned block of the
// module's heap, unpinned when disposed. The module imports two host functions, [WasmImport] methods of ScaleModule
// (ScaleModule.cs) registered by the generated ScaleModule.DefineImports, and env.abort, which the host defines
// itself: a `throw` in the module arrives as a WasmTrapException with its message, file, line and column decoded.
// The exports are called through ScaleModule, a binding the source generator writes at compile time and checks
// against scale.wasm. Every result is checked against C#; any mismatch exits with 1.
using System;
using System.IO;
using System.Text;
using WasmSharedMemory;

string modulePath = Path.Combine(AppContext.BaseDirectory, "scale.wasm");
bool ok = true;

var options = new WasmHostOptions();
ScaleModule.DefineImports(options.Imports); // env.host_log and env.host_scale

using WasmHost host = WasmHost.FromFile(modulePath, options: options);
Console.WriteLine($"scale.wasm: contract {host.Contract}");

// The generated constructor binds every export ScaleModule declares, once, and checks each signature now.
var module = new ScaleModule(host);

Check("scale", () =>
{
    using WasmBuffer<float> values = host.Allocate<float>(1000);
    for (int i = 0; i < values.Length; i++) values.Span[i] = (i * 0.37f) - 100f;
    float[] expected = Array.ConvertAll(values.ToArray(), v => v * 1.5f);
    module.Scale(values, values.Length, 1.5f);
    return Same(expected, values.ToArray());
});

Check("sum", () =>
{
    using WasmBuffer<double> values = host.Allocate<double>(4096);
    double expected = 0;
    for (int i = 0; i < values.Length; i++)
    {
        values.Span[i] = Math.Sin(i) * 1000;
        expected += values.Span[i];
    }

    double sum = module.Sum(values, values.Length);
    Console.WriteLine($"  sum of {values.Length} doubles: {sum} (C# {expected})");
    return sum == expected;
});

Check("prefix_sum", () =>
{
    using WasmBuffer<int> source = host.Allocate<int>(500);
    using WasmBuffer<int> destination = host.Allocate<int>(500);
    var random = new Random(1);
    for (int i = 0; i < source.Length; i++) source.Span[i] = random.Next(int.MinValue, int.MaxValue); // the running sum wraps
    int running = 0;
    int[] expected = Array.ConvertAll(source.ToArray(), v => running = unchecked(running + v));
    module.PrefixSum(source, destination, source.Length);
    return Same(expected, destination.ToArray());
});

Check("histogram", () =>
{
    using WasmBuffer<byte> bytes = host.Allocate<byte>(65536);
    using WasmBuffer<uint> bins = host.Allocate<uint>(256);
    new Random(2).NextBytes(bytes.Span);
    var expected = new uint[256];
    foreach (byte b in bytes.Span) expected[b]++;
    module.Histogram(bytes, bytes.Length, bins);
    return Same(expected, bins.ToArray());
});

Check("scale_with_host", () =>
{
    using WasmBuffer<float> values = host.Allocate<float>(64);
    var expected = new float[values.Length];
    for (int i = 0; i < values.Length; i++)
    {
        values.Span[i] = i;
        expected[i] = ScaleModule.HostScale(i);
    }

    module.ScaleWithHost(values, values.Length);
    return Same(expected, values.ToArray());
});

Check("greet", () =>
{
    const string name = "Wörld ✓";
    byte[] utf8 = Encoding.UTF8.GetBytes(name);
    using WasmBuffer<byte> text = host.Allocate<byte>(utf8.Length);
    text.CopyFrom(utf8);
    ScaleModule.Logs.Clear();
    int length = module.Greet(text, text.Length);
    Console.WriteLine($"  host_log received: \"{string.Join("|", ScaleModule.Logs)}\"");
    return ScaleModule.Logs.Count == 1 && ScaleModule.Logs[0] == $"hello, {name}!" && length == Encoding.UTF8.GetByteCount(ScaleModule.Logs[0]);
});

Check("memory view", () =>
{
    // host.Memory is the same checked view a host function gets, usable outside calls.
    using WasmBuffer<int> values = host.Allocate<int>(8);
    values.Span.Fill(7);
    Span<int> view = host.Memory.GetSpan<int>(values.Address, values.Length);
    view[3] = 99;
    return values.Span[3] == 99 && view[0] == 7;
});

Check("abort", () =>
{
    // A throw faults its host, so it gets a host of its own.
    using WasmHost failing = WasmHost.FromFile(modulePath, options: options);
    try
    {
        new ScaleModule(failing).Fail(7);
        return false;
    }
    catch (WasmTrapException ex)
    {
        Console.WriteLine($"  {ex.Message}");
        return ex.ExportName == "fail" && ex.Message.Contains("\"fail 7\" at assembly/scale.ts:93:3.") && failing.IsFaulted;
    }
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
