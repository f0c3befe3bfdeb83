// Alignment probe for the SIMD module's multiply_f32 export, hosted in Wasmtime (.NET).
//
// Question: does aligning large blocks to 64 bytes (a cache line) instead of 16 pay off?
// The kernel uses 16-byte v128 loads/stores, so any 16-byte-aligned pointer keeps every vector inside one
// cache line; only the position of the block's start within its line changes. We measure that directly:
// one oversized 64-byte-aligned block per array, pointers formed at +0/+16/+32/+48 inside it, so every case
// touches the same physical pages and only the offset differs. "all+4" is a contrast case (not 16-aligned,
// so some vectors straddle cache lines) to show what real misalignment costs.
//
// The VM is noisy (2 cores), so cases are interleaved within each round (rotating the start so no case is
// always first), many rounds are run, and we report medians, min-max and the median of the per-round ratio
// to "all+0" (paired within a round, which cancels slow drift of the machine).
//
// Usage: dotnet run -c Release --project benchmarks/alignment/AlignmentProbe [-- --rounds N --batch-ms M]
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Wasmtime;

int rounds = 51;          // timed rounds per size; each round runs every case once
double batchMs = 40;      // target wall time of one timed batch (calls are repeated to reach it)
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    else if (args[i] == "--batch-ms") batchMs = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
}

int[] sizes = [64 * 1024, 1024 * 1024, 16 * 1024 * 1024];
// (name, dst offset, a offset, b offset) in bytes from a 64-byte-aligned block start.
(string Name, int Dst, int A, int B)[] cases =
[
    ("all+0", 0, 0, 0),
    ("all+16", 16, 16, 16),
    ("all+32", 32, 32, 32),
    ("all+48", 48, 48, 48),
    ("mixed d0/a16/b48", 0, 16, 48),
    ("all+4 (contrast)", 4, 4, 4),
];
const int Slack = 128; // room for the largest offset plus a spare cache line

const string ModuleRelativePath = "src/WasmSharedMemory/Modules/wasm_shared_memory.simd.wasm";
string modulePath = FindModule();
using var engine = new Engine(new Config().WithOptimizationLevel(OptimizationLevel.Speed));
using var module = Module.FromFile(engine, modulePath);
using var store = new Store(engine);
using var linker = new Linker(engine);
var instance = linker.Instantiate(store, module);
var memory = instance.GetMemory("memory") ?? throw new InvalidOperationException("no memory export");
var alloc = instance.GetFunction<int, int, int>("wsm_alloc") ?? throw new InvalidOperationException("no wsm_alloc");
var free = instance.GetAction<int, int, int>("wsm_free") ?? throw new InvalidOperationException("no wsm_free");
var multiply = instance.GetAction<int, int, int, int>("multiply_f32") ?? throw new InvalidOperationException("no multiply_f32");

Console.WriteLine($"host: .NET {Environment.Version}, Wasmtime NuGet 50.0.1, OptimizationLevel.Speed");
// Relative to the repository, so a committed result names no machine path.
Console.WriteLine($"module: {ModuleRelativePath}");
Console.WriteLine($"rounds: {rounds}, target batch: {batchMs} ms, Stopwatch resolution: {1e9 / Stopwatch.Frequency:F0} ns");

foreach (int n in sizes)
{
    int bytes = n * sizeof(float) + Slack;
    int dstBlock = alloc(bytes, 64), aBlock = alloc(bytes, 64), bBlock = alloc(bytes, 64);
    if (dstBlock == 0 || aBlock == 0 || bBlock == 0 || (dstBlock | aBlock | bBlock) % 64 != 0)
        throw new InvalidOperationException("wsm_alloc failed or returned a block not aligned to 64");

    // Finite, non-zero inputs whose products stay normal (no denormal slow paths), over the whole block so
    // every offset reads the same kind of data; dst is written once so its pages are already mapped.
    Span<float> a = memory.GetSpan<float>(aBlock, bytes / sizeof(float));
    Span<float> b = memory.GetSpan<float>(bBlock, bytes / sizeof(float));
    for (int i = 0; i < a.Length; i++) { a[i] = 1f + (i % 97) * 0.01f; b[i] = 0.5f + (i % 89) * 0.01f; }
    memory.GetSpan<float>(dstBlock, bytes / sizeof(float)).Fill(1f);

    // Warm up every case (and check it computes the right thing), then size a batch from the all+0 case.
    foreach (var c in cases)
    {
        for (int w = 0; w < 3; w++) multiply(n, dstBlock + c.Dst, aBlock + c.A, bBlock + c.B);
        Verify(memory, n, dstBlock + c.Dst, aBlock + c.A, bBlock + c.B, c.Name);
    }
    var probe = Stopwatch.StartNew();
    int probeCalls = 0;
    while (probe.Elapsed.TotalMilliseconds < 10) { multiply(n, dstBlock, aBlock, bBlock); probeCalls++; }
    int calls = Math.Max(1, (int)Math.Round(batchMs * probeCalls / probe.Elapsed.TotalMilliseconds));

    var nsPerCall = cases.Select(_ => new List<double>()).ToArray();
    for (int r = 0; r < rounds; r++)
    {
        for (int k = 0; k < cases.Length; k++)
        {
            int ci = (k + r) % cases.Length; // rotate the order so position in the round is not a factor
            var c = cases[ci];
            int d = dstBlock + c.Dst, pa = aBlock + c.A, pb = bBlock + c.B;
            long t0 = Stopwatch.GetTimestamp();
            for (int j = 0; j < calls; j++) multiply(n, d, pa, pb);
            long t1 = Stopwatch.GetTimestamp();
            nsPerCall[ci].Add((t1 - t0) * 1e9 / Stopwatch.Frequency / calls);
        }
    }

    Console.WriteLine();
    Console.WriteLine($"blocks: dst 0x{dstBlock:x}, a 0x{aBlock:x}, b 0x{bBlock:x} (mod 4096: {dstBlock % 4096}, {aBlock % 4096}, {bBlock % 4096})");
    Report(n, calls, cases.Select(c => c.Name).ToArray(), nsPerCall);
    free(dstBlock, bytes, 64); free(aBlock, bytes, 64); free(bBlock, bytes, 64);
}
return 0;

static void Verify(Memory memory, int n, int dst, int a, int b, string name)
{
    foreach (int i in new[] { 0, 1, n / 2, n - 1 })
    {
        float got = memory.ReadSingle(dst + 4L * i), want = memory.ReadSingle(a + 4L * i) * memory.ReadSingle(b + 4L * i);
        if (BitConverter.SingleToInt32Bits(got) != BitConverter.SingleToInt32Bits(want))
            throw new InvalidOperationException($"{name}: wrong product at {i}: {got} != {want}");
    }
}

// One line per case: median / min / max ns per element, µs per call, and the paired ratio to all+0.
static void Report(int n, int calls, string[] names, List<double>[] nsPerCall)
{
    Console.WriteLine($"n = {n} ({n * 4 / 1024} KiB per array), {calls} call(s) per batch, {nsPerCall[0].Count} rounds");
    Console.WriteLine("| case | median µs/call | median ns/elem | min–max ns/elem | ratio to all+0: median [p25–p75] |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    for (int c = 0; c < names.Length; c++)
    {
        var ratios = nsPerCall[c].Zip(nsPerCall[0], (x, y) => x / y).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {names[c]} | {Quantile(nsPerCall[c], 0.5) / 1000:F1} | {Quantile(nsPerCall[c], 0.5) / n:F3} | " +
            $"{nsPerCall[c].Min() / n:F3}–{nsPerCall[c].Max() / n:F3} | " +
            $"{Quantile(ratios, 0.5):F3} [{Quantile(ratios, 0.25):F3}–{Quantile(ratios, 0.75):F3}] |"));
    }
}

static double Quantile(List<double> values, double q)
{
    var s = values.OrderBy(v => v).ToArray();
    double pos = q * (s.Length - 1);
    int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

// The committed module, found by walking up from the working directory (dotnet run keeps the caller's).
static string FindModule()
{
    const string Rel = ModuleRelativePath;
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, Rel);
            if (File.Exists(path)) return path;
        }
    }
    throw new FileNotFoundException("cannot find " + Rel + "; run from inside the repository");
}
