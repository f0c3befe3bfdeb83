using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// Kernel calls from 1 and 2 threads on one <c>Parallelism = 2</c> module, each thread multiplying its own buffers:
/// at 8K floats a call stays on one instance (under the split threshold), so a second caller runs on the idle
/// worker's instance beside the first; at 64K each call already splits across both. Reported per call, so two callers
/// at twice the throughput show half the time.
/// </summary>
public class ConcurrentMultiplyBenchmarks
{
    private const int Calls = 256;

    private ISharedMemoryModule _module = null!;
    private WasmBuffer<float>[][] _buffers = null!;

    [Params(1, 2)]
    public int Callers { get; set; }

    [Params(8 * 1024, 64 * 1024)]
    public int Floats { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _module = SharedMemoryModule.Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        _buffers = new WasmBuffer<float>[Callers][];
        for (int caller = 0; caller < Callers; caller++)
        {
            _buffers[caller] = new[] { _module.Allocate<float>(Floats), _module.Allocate<float>(Floats), _module.Allocate<float>(Floats) };
            _buffers[caller][0].Span.Fill(1.5f);
            _buffers[caller][1].Span.Fill(2.5f);
        }
    }

    [GlobalCleanup]
    public void CleanUp() => _module.Dispose();

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Multiply() => Parallel.For(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, caller =>
    {
        WasmBuffer<float>[] own = _buffers[caller];
        for (int i = 0; i < Calls / Callers; i++)
        {
            _module.Multiply(own[0], own[1], own[2]);
        }
    });
}
