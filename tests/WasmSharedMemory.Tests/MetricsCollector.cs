using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Tests;

/// <summary>A <see cref="MeterListener"/> on the library's meter that keeps every measurement tagged with one module name.</summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricsCollector(string module)
    {
        Module = module;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WasmMetrics.MeterName)
            {
                Instruments.Add(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Keep(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Keep(i, v, t));
        _listener.Start();
    }

    public string Module { get; }

    public ConcurrentBag<Instrument> Instruments { get; } = new();

    /// <summary>Reads every observable gauge now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The measurements of <paramref name="instrument"/> for this collector's module.</summary>
    public List<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();

    /// <summary>The sum of <paramref name="instrument"/>'s measurements for this module.</summary>
    public double Sum(string instrument) => Of(instrument).Sum(m => m.Value);

    /// <summary>The last measurement of a gauge for this module.</summary>
    public double Last(string instrument) => Of(instrument).Select(m => m.Value).LastOrDefault(double.NaN);

    public void Dispose() => _listener.Dispose();

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        if (dictionary.TryGetValue(WasmMetrics.ModuleTag, out object? module) && (string?)module == Module)
        {
            _measurements.Enqueue((instrument.Name, value, dictionary));
        }
    }
}
