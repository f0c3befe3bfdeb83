// Measures where splitting a call across two instances pays (docs/parallel.md, "Thresholds, measured"): Multiply of
// N floats on one instance against two, with the split thresholds forced to 0 so every call splits. "Hot" times
// back-to-back calls (workers awake); "parked" idles 2 ms before each call (workers parked, caches cooled).
//
//   dotnet run -c Release --project benchmarks/ParallelThresholds
using System;
using System.Diagnostics;
using System.Threading;
using WasmSharedMemory;
using WasmSharedMemory.Internals;

Console.WriteLine("| floats (bytes per operand) | hot P1 | hot P2 | hot speedup | parked P1 | parked P2 | parked speedup |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
foreach (int n in new[] { 1024, 8192, 16384, 65536, 262144, 524288, 1 << 20 })
{
    using ISharedMemoryModule one = SharedMemoryModule.Load(ModuleVariant.Simd);
    using ISharedMemoryModule two = SharedMemoryModule.Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
    var policy = ((KernelModule)two).Crew!.Policy;
    policy.MinSplitBytes = 0;
    policy.MinWakeBytes = 0;
    double hot1 = Hot(one, n), hot2 = Hot(two, n), parked1 = Parked(one, n), parked2 = Parked(two, n);
    Console.WriteLine($"| {Size(n)} ({n * 4 / 1024} KiB) | {Time(hot1)} | {Time(hot2)} | {hot1 / hot2:F2}× | {Time(parked1)} | {Time(parked2)} | {parked1 / parked2:F2}× |");
}

static string Size(int n) => n >= 1 << 20 ? $"{n >> 20}M" : $"{n >> 10}K";

static string Time(double ns) => ns >= 1000 ? $"{ns / 1000:0.##} µs" : $"{ns:0} ns";

// Median over 9 batches of back-to-back calls.
static double Hot(ISharedMemoryModule module, int n)
{
    using WasmBuffer<float> a = module.Allocate<float>(n), b = module.Allocate<float>(n), product = module.Allocate<float>(n);
    a.Span.Fill(1.5f);
    b.Span.Fill(2f);
    long calls = Math.Max(20, 50_000_000L / (n + 100));
    var batches = new double[9];
    for (int i = 0; i < batches.Length; i++)
    {
        var watch = Stopwatch.StartNew();
        for (long c = 0; c < calls; c++)
        {
            module.Multiply(a, b, product);
        }

        batches[i] = watch.Elapsed.TotalMilliseconds * 1e6 / calls;
    }

    return Median(batches);
}

// Median over 41 single calls, each after 2 ms idle.
static double Parked(ISharedMemoryModule module, int n)
{
    using WasmBuffer<float> a = module.Allocate<float>(n), b = module.Allocate<float>(n), product = module.Allocate<float>(n);
    a.Span.Fill(1.5f);
    b.Span.Fill(2f);
    var calls = new double[41];
    for (int i = 0; i < calls.Length; i++)
    {
        Thread.Sleep(2);
        long start = Stopwatch.GetTimestamp();
        module.Multiply(a, b, product);
        calls[i] = (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency;
    }

    return Median(calls);
}

static double Median(double[] values)
{
    Array.Sort(values);
    return values[values.Length / 2];
}
