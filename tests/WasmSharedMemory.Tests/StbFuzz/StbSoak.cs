using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using WasmSharedMemory.Tests.CorpusFuzz;
using WasmSharedMemory.Tests.Fuzzing;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Many threads for a fixed time against two pools of stb hosts side by side (one keeping clean hosts, one making a
/// fresh host per lease), a pool per published module (the two reuse modes alternating) and one shared kernel module:
/// valid images whose thumbnails must match the reference, published modules' seeds whose results are known, hostile
/// images and hostile module inputs checked as the fuzzes check them, and kernel calls (<c>Dot</c> among them) checked
/// bit for bit against .NET. Every request is counted as served, wrong, or lost (it ended in no outcome).
/// </summary>
internal sealed class StbSoak
{
    private static readonly DotCase<float> s_dotFloat = (DotCase<float>)KernelCases.Named("dot_f32");
    private static readonly DotCase<double> s_dotDouble = (DotCase<double>)KernelCases.Named("dot_f64");
    private readonly WasmHostPool[] _pools;
    private readonly ISharedMemoryModule _kernels;
    private readonly StbFuzzRun[] _hostile;
    private readonly (CorpusFuzzTarget Target, WasmHostPool Pool, FuzzRun<CorpusOutcome> Run)[] _corpus;
    private readonly Dictionary<SeedImage, ulong> _reference;
    private readonly List<double>[] _latencies;
    private readonly int _seed;
    private long _hostileIndex = -1;
    private long _valid;
    private long _corpusValid;
    private long _kernelCalls;
    private long _dots;
    private long _wrong;
    private long _lost;
    private long _rentTimeouts;

    /// <param name="pools">The stb pools, served side by side: a request picks one at random.</param>
    /// <param name="corpus">The published modules, each with its pool.</param>
    /// <param name="reference">The thumbnail's hash of every valid image, from a host that served nothing else.</param>
    public StbSoak(
        WasmHostPool[] pools,
        IReadOnlyList<(CorpusFuzzTarget Target, WasmHostPool Pool)> corpus,
        ISharedMemoryModule kernels,
        Dictionary<SeedImage, ulong> reference,
        int seed,
        int threads)
    {
        (_pools, _kernels, _reference, _seed) = (pools, kernels, reference, seed);
        _hostile = pools.Select(pool => new StbFuzzRun(pool, StbFuzzSettings.CallTimeout, StbFuzzSettings.Allowance)).ToArray();
        _corpus = corpus.Select(c => (c.Target, c.Pool, c.Target.Run(c.Pool))).ToArray();
        _latencies = Enumerable.Range(0, threads).Select(_ => new List<double>()).ToArray();
    }

    /// <summary>Gets the hostile images' counts, one per stb pool.</summary>
    public IReadOnlyList<StbFuzzStats> Hostile => _hostile.Select(run => run.Stats).ToArray();

    /// <summary>Gets each published module's hostile inputs' counts.</summary>
    public IReadOnlyList<(string Module, FuzzStats<CorpusOutcome> Stats)> HostileCorpus => _corpus.Select(c => (c.Target.Module, c.Run.Stats)).ToArray();

    /// <summary>Gets every broken promise the fuzz runs recorded.</summary>
    public IEnumerable<string> FuzzFailures =>
        _hostile.SelectMany(run => run.Stats.Failures).Concat(_corpus.SelectMany(c => c.Run.Stats.Failures.Select(f => $"{c.Target.Module}: {f}")));

    public long Valid => Interlocked.Read(ref _valid);

    public long CorpusValid => Interlocked.Read(ref _corpusValid);

    public long KernelCalls => Interlocked.Read(ref _kernelCalls);

    public long Dots => Interlocked.Read(ref _dots);

    public long Wrong => Interlocked.Read(ref _wrong);

    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Gets how many rents of the valid requests timed out loading a new host (each rented again).</summary>
    public long RentTimeouts => Interlocked.Read(ref _rentTimeouts);

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
                        ok = random.Next(20) switch
                        {
                            // Kernel calls keep 40 %: the run must see two of them side by side, which takes many.
                            < 4 => ValidImage(random),
                            < 7 => _hostile[random.Next(_hostile.Length)].One(_seed, Interlocked.Increment(ref _hostileIndex)),
                            < 9 => ValidCorpus(random),
                            < 12 => _corpus[random.Next(_corpus.Length)].Run.One(_seed, Interlocked.Increment(ref _hostileIndex)),
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
        using WasmHostLease lease = PoolRent.Retrying(_pools[random.Next(_pools.Length)], CountRentTimeout);
        StbOutcome outcome = StbRequest.Serve(lease.Host, image.Bytes, out _, out ulong hash);
        Interlocked.Increment(ref _valid);
        return outcome == StbOutcome.Decoded && hash == _reference[image]
            || Problem(ref _wrong, $"{image.Name}: {outcome}, thumbnail hash {hash:X16}, reference {_reference[image]:X16}", count: false);
    }

    // A published module's valid seed on a host of its pool: its known result, checked as the fuzz checks it.
    private bool ValidCorpus(Random random)
    {
        (CorpusFuzzTarget target, WasmHostPool pool, _) = _corpus[random.Next(_corpus.Length)];
        IReadOnlyList<CorpusSeed> seeds = target.ValidSeeds;
        CorpusSeed seed = seeds[random.Next(seeds.Count)];
        using WasmHostLease lease = PoolRent.Retrying(pool, CountRentTimeout);
        Interlocked.Increment(ref _corpusValid);
        CorpusOutcome outcome;
        try
        {
            outcome = target.Serve(lease.Host, seed.Bytes, seed.Name, out _);
        }
        catch (WrongResultException ex)
        {
            return Problem(ref _wrong, $"{target.Module} {seed.Name}: {ex.Message}", count: false);
        }

        return outcome == CorpusOutcome.Result && lease.Host.LiveBuffers == 0
            || Problem(ref _wrong, $"{target.Module} {seed.Name}: {outcome}, {lease.Host.LiveBuffers} buffers live", count: false);
    }

    // One of four kernels over a fresh length, compared bit for bit with the same loop in .NET (Dot with its documented order).
    private bool KernelCall(Random random)
    {
        int length = random.Next(1, 5000);
        Interlocked.Increment(ref _kernelCalls);
        switch (random.Next(4))
        {
            case 3:
            {
                Interlocked.Increment(ref _dots);
                if (random.Next(2) == 0)
                {
                    float[] left = Floats(random, length), right = Floats(random, length);
                    using WasmBuffer<float> a = Copy(_kernels.Allocate<float>(length), left), b = Copy(_kernels.Allocate<float>(length), right);
                    float dot = _kernels.Dot(a, b), expected = s_dotFloat.Expected(left, right);
                    return BitConverter.SingleToInt32Bits(dot) == BitConverter.SingleToInt32Bits(expected)
                        || Problem(ref _wrong, $"Dot(float) of {length}: {dot}, not {expected}", count: false);
                }
                else
                {
                    double[] left = Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * 1e6).ToArray();
                    double[] right = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
                    using WasmBuffer<double> a = Copy(_kernels.Allocate<double>(length), left), b = Copy(_kernels.Allocate<double>(length), right);
                    double dot = _kernels.Dot(a, b), expected = s_dotDouble.Expected(left, right);
                    return BitConverter.DoubleToInt64Bits(dot) == BitConverter.DoubleToInt64Bits(expected)
                        || Problem(ref _wrong, $"Dot(double) of {length}: {dot}, not {expected}", count: false);
                }
            }

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

    private void CountRentTimeout() => Interlocked.Increment(ref _rentTimeouts);

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
