using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// A server-shaped workload through a <see cref="WasmHostPool"/>: each request rents a host, copies a 128×128 float
/// image in, blurs and sums it in wasm, and returns the host. 1 and 2 concurrent callers, a host each; reported per
/// request (so 2 callers at twice the throughput show half the time). Each request's latency is kept, and the
/// cleanup prints p50/p99 into the log.
/// </summary>
[MemoryDiagnoser]
public class PoolThroughputBenchmarks
{
    private const int RequestsPerCaller = 64;
    private const int Side = 128;

    private readonly float[] _image = Enumerable.Range(0, Side * Side).Select(i => (float)(i % 251)).ToArray();
    private readonly ConcurrentQueue<double> _latencies = new();
    private WasmModule _module = null!;
    private WasmHostPool _pool = null!;

    [Params(1, 2)]
    public int Callers { get; set; }

    [Params(WasmHostReuse.WhenClean, WasmHostReuse.Never)]
    public WasmHostReuse Reuse { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _module = WasmModule.FromFile(ServerModules.Path);
        _pool = new WasmHostPool(_module, maxHosts: Callers, ServerModules.Options(), Reuse);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        double[] sorted = _latencies.OrderBy(l => l).ToArray();
        if (sorted.Length > 0)
        {
            Console.WriteLine($"// pool latency, {Callers} caller(s), {Reuse}: p50 {sorted[sorted.Length / 2]:0.0} µs, p99 {sorted[(int)(sorted.Length * 0.99)]:0.0} µs over {sorted.Length} requests");
        }

        _pool.Dispose();
        _module.Dispose();
    }

    [Benchmark(OperationsPerInvoke = RequestsPerCaller)]
    public void Requests() => Parallel.For(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, _ =>
    {
        for (int i = 0; i < RequestsPerCaller / Callers; i++)
        {
            long started = Stopwatch.GetTimestamp();
            Serve();
            _latencies.Enqueue((Stopwatch.GetTimestamp() - started) * 1e6 / Stopwatch.Frequency);
        }
    });

    private void Serve()
    {
        using WasmHostLease lease = _pool.Rent();
        WasmHost host = lease.Host;
        using WasmBuffer<float> pixels = host.Allocate<float>(Side * Side);
        pixels.CopyFrom(_image);
        host.GetAction<WasmBuffer<float>, int, int>("box_blur")(pixels, Side, Side);
        host.GetFunction<WasmBuffer<float>, int, float>("sum")(pixels, Side * Side);
    }
}
