using System;
using System.Runtime.CompilerServices;
using System.Threading;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Internals;

/// <summary>What the <c>WasmSharedMemory</c> meter reads of an instance: its name, its memory size, and each call.</summary>
/// <remarks>
/// Nothing here enters the instance from another thread: taking the call gate from a metrics thread would revoke the
/// gate's bias to the calling thread for good, and the store must not be touched outside the gate. So the size of
/// linear memory is read inside calls, only while a listener wants calls, and the gauges report that last size.
/// </remarks>
internal sealed partial class GuestInstance
{
    private long _lastMemoryBytes;

    /// <summary>Gets or sets the module name its metrics are tagged with; set once, right after instantiation.</summary>
    public string MetricName { get; set; } = "module";

    /// <summary>Gets the size of linear memory when a call last ended while a listener wanted calls (or when <see cref="RecordMemoryBytes"/> ran); safe from any thread.</summary>
    public long LastMemoryBytes => Volatile.Read(ref _lastMemoryBytes);

    /// <summary>Records the size of linear memory now; only on the thread that created the instance, before anything else uses it, or inside a call.</summary>
    public void RecordMemoryBytes() => Volatile.Write(ref _lastMemoryBytes, _memory.Length);

    /// <summary>Records a call that <see cref="WasmMetrics.CallStarted"/> timed, and the memory size it left; nothing when it returned 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a test of one local on the path every call takes
    private void CallEnded(string export, long started)
    {
        if (started != 0)
        {
            RecordMemoryBytes();
            WasmMetrics.CallEnded(MetricName, export, started);
        }
    }

    /// <summary>Records a call that returned <paramref name="result"/>, as <see cref="CallEnded"/> does; nothing when <paramref name="started"/> is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a test of one local on the path every call takes
    private void CallReturned<TResult>(string export, long started, TResult result)
    {
        if (started != 0)
        {
            RecordReturned(export, started, result);
        }
    }

    /// <summary>
    /// Records a returned call; if a meter listener throws, a block the call allocated for its caller (a new buffer)
    /// is freed before the exception goes on, so nothing is left live that nobody can reach.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordReturned<TResult>(string export, long started, TResult result)
    {
        try
        {
            CallEnded(export, started);
        }
        catch when (result is IGuestBlock and IDisposable owned)
        {
            try
            {
                owned.Dispose();
            }
            catch (Exception)
            {
                // The listener again, on the free's own measurement: the block is freed before that (state first),
                // and the first exception is the one to report.
            }

            throw;
        }
    }

    /// <summary>Counts <paramref name="failure"/> of a call of <paramref name="export"/>, and returns it.</summary>
    private Exception Trapped(string export, Exception failure)
    {
        WasmMetrics.Trapped(MetricName, export, failure);
        return failure;
    }
}
