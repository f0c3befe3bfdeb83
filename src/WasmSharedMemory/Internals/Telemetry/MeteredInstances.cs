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
    private static readonly ConcurrentDictionary<IMeteredInstance, byte> s_live = new();

    /// <summary>Gets how many instances are registered, for tests.</summary>
    public static int Count => s_live.Count;

    public static void Add(IMeteredInstance instance) => s_live.TryAdd(instance, 0);

    public static void Remove(IMeteredInstance instance) => s_live.TryRemove(instance, out _);

    /// <summary>What a gauge sums.</summary>
    public enum Figure
    {
        Instances,
        Buffers,
        BufferBytes,
        MemoryBytes,
    }

    /// <summary>Sums <paramref name="figure"/> over the live instances of each module name.</summary>
    public static IEnumerable<Measurement<long>> Observe(Figure figure)
    {
        var totals = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (KeyValuePair<IMeteredInstance, byte> live in s_live)
        {
            IMeteredInstance instance = live.Key;
            if (!totals.TryGetValue(instance.ModuleName, out long[]? sums))
            {
                totals[instance.ModuleName] = sums = new long[4];
            }

            sums[(int)Figure.Instances]++;
            sums[(int)Figure.Buffers] += instance.LiveBuffers;
            sums[(int)Figure.BufferBytes] += instance.LiveBytes;
            sums[(int)Figure.MemoryBytes] += instance.MemoryBytes;
        }

        var measurements = new List<Measurement<long>>(totals.Count);
        foreach (KeyValuePair<string, long[]> module in totals)
        {
            measurements.Add(new Measurement<long>(module.Value[(int)figure], new KeyValuePair<string, object?>(WasmMetrics.ModuleTag, module.Key)));
        }

        return measurements;
    }
}
