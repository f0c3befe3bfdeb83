using System.IO;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// Getting a module's compiled code: compiling it (what every <c>WasmHost.FromFile</c> did before 0.3.0) against
/// loading it from <see cref="WasmModuleOptions.CacheDirectory"/> after its digest verifies.
/// </summary>
[MemoryDiagnoser]
public class CompileCacheBenchmarks
{
    private string _cache = null!;

    [GlobalSetup]
    public void SetUp()
    {
        _cache = ServerModules.NewCacheDirectory();
        WasmModule.FromFile(ServerModules.Path, new WasmModuleOptions { CacheDirectory = _cache }).Dispose();
    }

    [GlobalCleanup]
    public void CleanUp() => Directory.Delete(_cache, recursive: true);

    [Benchmark(Baseline = true)]
    public void Compile() => WasmModule.FromFile(ServerModules.Path).Dispose();

    [Benchmark]
    public void CachedLoad() => WasmModule.FromFile(ServerModules.Path, new WasmModuleOptions { CacheDirectory = _cache }).Dispose();
}
