using System;
using System.Threading;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Internals;

/// <summary>What the <c>WasmSharedMemory</c> meter reads of an instance: its name, its memory size, and each failed call.</summary>
internal sealed partial class GuestInstance
{
    /// <summary>Gets or sets the module name its metrics are tagged with; set once, right after instantiation.</summary>
    public string MetricName { get; set; } = "module";

    /// <summary>Reads the size of linear memory unless a call holds the gate (the store is not to be touched then); for the gauges, from any thread.</summary>
    public bool TryReadMemoryBytes(out long bytes)
    {
        bytes = 0;
#if NET9_0_OR_GREATER
        if (!_gate.TryEnter())
#else
        if (!Monitor.TryEnter(_gate))
#endif
        {
            return false;
        }

        try
        {
            bytes = _disposed ? 0 : _memory.Length;
            return !_disposed;
        }
        finally
        {
#if NET9_0_OR_GREATER
            _gate.Exit();
#else
            Monitor.Exit(_gate);
#endif
        }
    }

    /// <summary>Counts <paramref name="failure"/> of a call of <paramref name="export"/>, and returns it.</summary>
    private Exception Trapped(string export, Exception failure)
    {
        WasmMetrics.Trapped(MetricName, export, failure);
        return failure;
    }
}
