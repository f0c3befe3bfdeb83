using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// A new host of an already compiled module, disposed at once: store, WASI, instance (copy-on-write memory image),
/// reactor initialization and heap. Against a raw Wasmtime store + instance with a reused linker, the floor.
/// </summary>
[MemoryDiagnoser]
public class InstantiateBenchmarks
{
    private WasmModule _module = null!;
    private WasmHostOptions? _options;
    private RawInstantiation _raw = null!;

    [GlobalSetup]
    public void SetUp()
    {
        _module = WasmModule.FromFile(ServerModules.Path);
        _raw = new RawInstantiation(ServerModules.Path);
        _options = _raw.ImportsHistogram ? ServerModules.Options() : null;
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _module.Dispose();
        _raw.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Instantiate_Dispose() => _module.Instantiate(options: _options).Dispose();

    [Benchmark]
    public void RawWasmtime_Instantiate_Dispose() => _raw.InstantiateAndDispose();

    /// <summary>The same as raw Wasmtime sees it: the library's engine settings without epochs, one linker reused.</summary>
    private sealed class RawInstantiation : System.IDisposable
    {
        private readonly Wasmtime.Engine _engine;
        private readonly Wasmtime.Module _module;
        private readonly Wasmtime.Linker _linker;

        public RawInstantiation(string path)
        {
            _engine = new Wasmtime.Engine(new Wasmtime.Config()
                .WithMemoryMayMove(false)
                .WithStaticMemoryMaximumSize(1UL << 32)
                .WithMaximumStackSize(128 * 1024)
                .WithOptimizationLevel(Wasmtime.OptimizationLevel.Speed));
            _module = Wasmtime.Module.FromFile(_engine, path);
            _linker = new Wasmtime.Linker(_engine);
            _linker.DefineWasi();
            ImportsHistogram = ServerModules.ImportsHistogram(_module);
            if (ImportsHistogram)
            {
                _linker.DefineFunction("env", "host_histogram", (int bins, int count) => { });
            }
        }

        public bool ImportsHistogram { get; }

        public void InstantiateAndDispose()
        {
            using var store = new Wasmtime.Store(_engine);
            store.SetWasiConfiguration(new Wasmtime.WasiConfiguration());
            _linker.Instantiate(store, _module);
        }

        public void Dispose()
        {
            _linker.Dispose();
            _module.Dispose();
            _engine.Dispose();
        }
    }
}
