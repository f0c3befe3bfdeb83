using System;
using System.Diagnostics.Metrics;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Tests;

/// <summary>
/// A <see cref="MeterListener"/> that throws <see cref="ListenerException"/> from every measurement of one of the
/// library's instruments, on the thread that made it only (so a test in another collection is never hit).
/// </summary>
internal sealed class ThrowingListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly int _thread = Environment.CurrentManagedThreadId;

    public ThrowingListener(string instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == WasmMetrics.MeterName && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Throw());
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Throw());
        _listener.Start();
    }

    /// <summary>Gets how many measurements it threw from.</summary>
    public int Thrown { get; private set; }

    public void Dispose() => _listener.Dispose();

    private void Throw()
    {
        if (Environment.CurrentManagedThreadId == _thread)
        {
            Thrown++;
            throw new ListenerException();
        }
    }
}

/// <summary>What <see cref="ThrowingListener"/> throws.</summary>
internal sealed class ListenerException : Exception
{
    public ListenerException()
        : base("The test's meter listener threw.")
    {
    }
}
