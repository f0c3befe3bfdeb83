using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Many threads for a fixed time against a pool of stb hosts and one shared kernel module: valid images whose
/// thumbnails must match the reference, hostile ones checked as the fuzz checks them, and kernel calls checked
/// bit for bit against a .NET loop. Every request is counted as served, wrong, or lost (it ended in no outcome).
/// </summary>
internal sealed class StbSoak
{
    private readonly WasmHostPool _pool;
    private readonly ISharedMemoryModule _kernels;
    private readonly StbFuzzRun _hostile;
    private readonly Dictionary<SeedImage, ulong> _reference;
    private readonly List<double>[] _latencies;
    private readonly int _seed;
    private long _hostileIndex = -1;
    private long _valid;
    private long _kernelCalls;
    private long _wrong;
    private long _lost;

    /// <param name="reference">The thumbnail's hash of every valid image, from a host that served nothing else.</param>
    public StbSoak(WasmHostPool pool, ISharedMemoryModule kernels, Dictionary<SeedImage, ulong> reference, int seed, int threads)
    {
        (_pool, _kernels, _reference, _seed) = (pool, kernels, reference, seed);
        _hostile = new StbFuzzRun(pool, StbFuzzSettings.CallTimeout, StbFuzzSettings.Allowance);
        _latencies = Enumerable.Range(0, threads).Select(_ => new List<double>()).ToArray();
    }

    public StbFuzzStats Hostile => _hostile.Stats;

    public long Valid => Interlocked.Read(ref _valid);

    public long KernelCalls => Interlocked.Read(ref _kernelCalls);

    public long Wrong => Interlocked.Read(ref _wrong);

    public long Lost => Interlocked.Read(ref _lost);

    public List<string> Problems { get; } = new();

    public long Served => _latencies.Sum(l => l.Count);

    /// <summary>The latency of <paramref name="percentile"/> % of requests, in milliseconds (pool waits included).</summary>
    public double Percentile(double percentile)
    {
        double[] all = _latencies.SelectMany(l => l).Order().ToArray();
        return all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(percentile / 100 * all.Length) - 1)];
    }

    public void Run(TimeSpan duration)
    {
        var workers = new Thread[_latencies.Length];
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (int t = 0; t < workers.Length; t++)
        {
            List<double> latencies = _latencies[t];
            var random = new Random(_seed + t);
            workers[t] = new Thread(() =>
            {
                while (Stopwatch.GetTimestamp() < end)
                {
                    long started = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = random.Next(10) switch
                        {
                            < 4 => ValidImage(random),
                            < 7 => _hostile.One(_seed, Interlocked.Increment(ref _hostileIndex)),
                            _ => KernelCall(random),
                        };
                    }
                    catch (Exception ex)
                    {
                        Problem(ref _lost, $"lost: {ex.GetType().FullName}: {ex.Message}");
                        continue;
                    }

                    if (!ok)
                    {
                        Interlocked.Increment(ref _wrong);
                    }

                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            });
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }
    }

    private bool ValidImage(Random random)
    {
        SeedImage image = StbSeeds.All[random.Next(StbSeeds.All.Count)];
        using WasmHostLease lease = _pool.Rent();
        StbOutcome outcome = StbRequest.Serve(lease.Host, image.Bytes, out _, out ulong hash);
        Interlocked.Increment(ref _valid);
        return outcome == StbOutcome.Decoded && hash == _reference[image]
            || Problem(ref _wrong, $"{image.Name}: {outcome}, thumbnail hash {hash:X16}, reference {_reference[image]:X16}", count: false);
    }

    // One of three kernels over a fresh length, compared bit for bit with the same loop in .NET.
    private bool KernelCall(Random random)
    {
        int length = random.Next(1, 5000);
        Interlocked.Increment(ref _kernelCalls);
        switch (random.Next(3))
        {
            case 0:
            {
                float[] left = Floats(random, length), right = Floats(random, length);
                using WasmBuffer<float> a = Copy(_kernels.Allocate<float>(length), left), b = Copy(_kernels.Allocate<float>(length), right);
                _kernels.Multiply(a, b, a);
                for (int i = 0; i < length; i++)
                {
                    if (BitConverter.SingleToInt32Bits(a.Span[i]) != BitConverter.SingleToInt32Bits(left[i] * right[i]))
                    {
                        return Problem(ref _wrong, $"Multiply(float) of {length}: element {i} is {a.Span[i]}, not {left[i] * right[i]}", count: false);
                    }
                }

                return true;
            }

            case 1:
            {
                int[] left = Ints(random, length), right = Ints(random, length);
                using WasmBuffer<int> a = Copy(_kernels.Allocate<int>(length), left), b = Copy(_kernels.Allocate<int>(length), right);
                using WasmBuffer<int> sum = _kernels.Allocate<int>(length);
                _kernels.Add(a, b, sum);
                for (int i = 0; i < length; i++)
                {
                    if (sum.Span[i] != unchecked(left[i] + right[i]))
                    {
                        return Problem(ref _wrong, $"Add(int) of {length}: element {i} is {sum.Span[i]}, not {unchecked(left[i] + right[i])}", count: false);
                    }
                }

                return true;
            }

            default:
            {
                double[] source = Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * 1e6).ToArray();
                double factor = random.NextDouble() * 3 - 1;
                using WasmBuffer<double> a = Copy(_kernels.Allocate<double>(length), source);
                using WasmBuffer<double> scaled = _kernels.Allocate<double>(length);
                _kernels.Scale(a, factor, scaled);
                for (int i = 0; i < length; i++)
                {
                    if (BitConverter.DoubleToInt64Bits(scaled.Span[i]) != BitConverter.DoubleToInt64Bits(source[i] * factor))
                    {
                        return Problem(ref _wrong, $"Scale(double) of {length}: element {i} is {scaled.Span[i]}, not {source[i] * factor}", count: false);
                    }
                }

                return true;
            }
        }
    }

    private static WasmBuffer<T> Copy<T>(WasmBuffer<T> buffer, T[] values)
        where T : unmanaged
    {
        values.CopyTo(buffer.Span);
        return buffer;
    }

    private static float[] Floats(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * 1e4)).ToArray();

    private static int[] Ints(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();

    // Records what went wrong (the first few) and returns false; counts it here unless the caller's false will.
    private bool Problem(ref long counter, string problem, bool count = true)
    {
        if (count)
        {
            Interlocked.Increment(ref counter);
        }

        lock (Problems)
        {
            if (Problems.Count < 20)
            {
                Problems.Add(problem);
            }
        }

        return false;
    }
}
