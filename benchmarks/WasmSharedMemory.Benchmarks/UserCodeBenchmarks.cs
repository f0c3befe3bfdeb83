using System;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// A user's compute-bound export (imaging.wasm's <c>box_blur</c> over 512×512 floats) on a host compiled without
/// interruption checks (the default), with them (<see cref="WasmModuleOptions.Interruptible"/> and a
/// <see cref="WasmHostOptions.CallTimeout"/> armed), and on raw Wasmtime without epoch checks, the baseline.
/// </summary>
[MemoryDiagnoser]
public class UserCodeBenchmarks
{
    private const int Side = 512;

    private WasmModule _plain = null!;
    private WasmModule _interruptible = null!;
    private WasmHost _plainHost = null!;
    private WasmHost _interruptibleHost = null!;
    private WasmBuffer<float> _plainPixels = null!;
    private WasmBuffer<float> _interruptiblePixels = null!;
    private Action<WasmBuffer<float>, int, int> _plainBlur = null!;
    private Action<WasmBuffer<float>, int, int> _interruptibleBlur = null!;
    private Wasmtime.Engine _engine = null!;
    private Wasmtime.Module _rawModule = null!;
    private Wasmtime.Store _store = null!;
    private Action<int, int, int> _rawBlur = null!;
    private int _rawPixels;

    [GlobalSetup]
    public void SetUp()
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "imaging.wasm");
        _plain = WasmModule.FromFile(path);
        _interruptible = WasmModule.FromFile(path, new WasmModuleOptions { Interruptible = true });
        _plainHost = _plain.Instantiate(options: ServerModules.Options());
        WasmHostOptions timed = ServerModules.Options();
        timed.CallTimeout = TimeSpan.FromMinutes(1);
        _interruptibleHost = _interruptible.Instantiate(options: timed);
        (_plainPixels, _plainBlur) = Prepare(_plainHost);
        (_interruptiblePixels, _interruptibleBlur) = Prepare(_interruptibleHost);

        _engine = new Wasmtime.Engine(new Wasmtime.Config()
            .WithMemoryMayMove(false)
            .WithStaticMemoryMaximumSize(1UL << 32)
            .WithMaximumStackSize(128 * 1024)
            .WithOptimizationLevel(Wasmtime.OptimizationLevel.Speed));
        _rawModule = Wasmtime.Module.FromFile(_engine, path);
        using var linker = new Wasmtime.Linker(_engine);
        linker.DefineWasi();
        linker.DefineFunction("env", "host_histogram", (int bins, int count) => { });
        _store = new Wasmtime.Store(_engine);
        _store.SetWasiConfiguration(new Wasmtime.WasiConfiguration());
        Wasmtime.Instance instance = linker.Instantiate(_store, _rawModule);
        _rawPixels = instance.GetFunction<int, int>("malloc")!(Side * Side * sizeof(float));
        Wasmtime.Memory memory = instance.GetMemory("memory")!;
        for (int i = 0; i < Side * Side; i++)
        {
            memory.WriteSingle(_rawPixels + (i * sizeof(float)), i % 251);
        }

        _rawBlur = instance.GetAction<int, int, int>("box_blur")!;
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _plainPixels.Dispose();
        _interruptiblePixels.Dispose();
        _plainHost.Dispose();
        _interruptibleHost.Dispose();
        _plain.Dispose();
        _interruptible.Dispose();
        _store.Dispose();
        _rawModule.Dispose();
        _engine.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void RawWasmtime_NoEpochs() => _rawBlur(_rawPixels, Side, Side);

    [Benchmark]
    public void Host_NoInterruption() => _plainBlur(_plainPixels, Side, Side);

    [Benchmark]
    public void Host_Interruptible_WithCallTimeout() => _interruptibleBlur(_interruptiblePixels, Side, Side);

    private static (WasmBuffer<float> Pixels, Action<WasmBuffer<float>, int, int> Blur) Prepare(WasmHost host)
    {
        WasmBuffer<float> pixels = host.Allocate<float>(Side * Side);
        Span<float> span = pixels.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = i % 251;
        }

        return (pixels, host.GetAction<WasmBuffer<float>, int, int>("box_blur"));
    }
}
