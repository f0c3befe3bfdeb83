using System;
using System.Globalization;
using System.IO;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>The limits every stb host runs under in the fuzz and the soak, and the environment variables that lengthen them.</summary>
internal static class StbFuzzSettings
{
    /// <summary>
    /// The process's working set after a full, aggressive collection: what the run still holds. A plain collection
    /// leaves the heap's freed segments committed, which counted as growth (a 30 s soak in CI: 103 MiB of them).
    /// </summary>
    public static long WorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return Environment.WorkingSet;
    }

    public static readonly TimeSpan CallTimeout = TimeSpan.FromMilliseconds(250);

    public const long MaxMemoryBytes = 64L << 20;

    /// <summary>
    /// How far past its <see cref="CallTimeout"/> a call may end: the documented interrupt interval, plus time for
    /// the thread to be scheduled again on a 2-core machine shared with other builds (README's timeout table
    /// measured up to 89 ms past a 50 ms timeout under load).
    /// </summary>
    public static readonly TimeSpan Allowance = WasmHost.InterruptCheckInterval + TimeSpan.FromMilliseconds(240);

    public static string ModulePath => Path.Combine(AppContext.BaseDirectory, "Modules", "stb.wasm");

    public static WasmHostOptions HostOptions() => new() { CallTimeout = CallTimeout, MaxMemoryBytes = MaxMemoryBytes };

    public static long Number(string variable, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value > 0
            ? value
            : fallback;
}
