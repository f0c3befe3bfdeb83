using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace WasmSharedMemory.Internals.Telemetry;

/// <summary>
/// The live instances the observable gauges read: each registers when instantiated and leaves when disposed
/// (O(1) either way, so filling the address space with modules stays linear). The gauges sum them per module name.
/// </summary>
internal static class MeteredInstances
{
    private static readonly ConcurrentDictionary<IMeteredInstance, Entry> s_live = new();

    /// <summary>Gets how many instances are registered, for tests.</summary>
    public static int Count => s_live.Count;

    public static void Add(IMeteredInstance instance) => s_live.TryAdd(instance, new Entry());

    public static void Remove(IMeteredInstance instance) => s_live.TryRemove(instance, out _);

    /// <summary>Sums <paramref name="select"/> over the live instances of each module name.</summary>
    public static IEnumerable<Measurement<long>> Observe(Func<Totals, long> select)
    {
        var totals = new Dictionary<string, Totals>(StringComparer.Ordinal);
        foreach (KeyValuePair<IMeteredInstance, Entry> live in s_live)
        {
            IMeteredInstance instance = live.Key;
            totals.TryGetValue(instance.ModuleName, out Totals sum);
            // A call in progress holds the instance's store: report the size it had when last read instead of waiting.
            if (instance.TryReadMemoryBytes(out long memory))
            {
                live.Value.MemoryBytes = memory;
            }

            totals[instance.ModuleName] = new Totals(
                sum.Instances + 1,
                sum.Buffers + instance.LiveBuffers,
                sum.BufferBytes + instance.LiveBytes,
                sum.MemoryBytes + live.Value.MemoryBytes);
        }

        var measurements = new List<Measurement<long>>(totals.Count);
        foreach (KeyValuePair<string, Totals> module in totals)
        {
            measurements.Add(new Measurement<long>(select(module.Value), new KeyValuePair<string, object?>(WasmMetrics.ModuleTag, module.Key)));
        }

        return measurements;
    }

    /// <summary>One module name's sums.</summary>
    internal readonly struct Totals
    {
        public Totals(long instances, long buffers, long bufferBytes, long memoryBytes) =>
            (Instances, Buffers, BufferBytes, MemoryBytes) = (instances, buffers, bufferBytes, memoryBytes);

        public long Instances { get; }

        public long Buffers { get; }

        public long BufferBytes { get; }

        public long MemoryBytes { get; }
    }

    private sealed class Entry
    {
        public long MemoryBytes;
    }
}
