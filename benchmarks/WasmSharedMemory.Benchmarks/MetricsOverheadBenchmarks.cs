using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// What the <c>WasmSharedMemory</c> meter costs a call: the check every call makes (<c>CallStarted</c> and
/// <c>CallEnded</c>) with no listener, against nothing; and the 16-float <c>Multiply</c> with no listener and with a
/// listener that takes every instrument (what <c>dotnet-counters</c> or OpenTelemetry would do).
/// </summary>
[MemoryDiagnoser]
public class MetricsOverheadBenchmarks
{
    private const int Length = 16;

    private ISharedMemoryModule _module = null!;
    private WasmBuffer<float> _a = null!;
    private WasmBuffer<float> _product = null!;
    private MeterListener? _listener;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        if (Listening)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == WasmMetrics.MeterName)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<long>((_, _, _, _) => { });
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
            _listener.Start();
        }

        _module = SharedMemoryModule.Load(ModuleVariant.Simd);
        _a = _module.Allocate<float>(Length);
        _product = _module.Allocate<float>(Length);
        Inputs.Fill(_a.Span, _product.Span);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _a.Dispose();
        _product.Dispose();
        _module.Dispose();
        _listener?.Dispose();
    }

    /// <summary>Nothing: the floor the check is measured against.</summary>
    [Benchmark(Baseline = true)]
    public long Nothing() => 0;

    /// <summary>The meter's part of every call: one check of two instruments, and nothing recorded while no listener takes them.</summary>
    [Benchmark]
    public long MeterCheck()
    {
        long started = WasmMetrics.CallStarted();
        WasmMetrics.CallEnded("module", "multiply_f32", started);
        return started;
    }

    /// <summary>16 floats through the library.</summary>
    [Benchmark]
    public void Multiply16() => _module.Multiply(_a, _a, _product);
}
