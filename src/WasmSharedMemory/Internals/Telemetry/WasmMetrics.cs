using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using WasmSharedMemory.Internals.Caching;

namespace WasmSharedMemory.Internals.Telemetry;

/// <summary>
/// The library's one <see cref="Meter"/>, named <c>WasmSharedMemory</c>: calls and their duration, traps and
/// faults, instantiations, compile time and compile-cache results, pushed where they happen; live instances,
/// buffers, bytes and memory size observed from <see cref="MeteredInstances"/> when a listener collects.
/// Every measurement is tagged with the module's name (<c>wasm.module.name</c>).
/// </summary>
/// <remarks>
/// Nothing is measured while no listener is enabled: each Record method returns after one check of the
/// instrument's <see cref="Instrument.Enabled"/>, and a call reads the clock only when <see cref="CallStarted"/>
/// found a listener. Names and units follow OpenTelemetry's conventions, as <c>System.Net.Http</c>'s do.
/// </remarks>
internal static class WasmMetrics
{
    /// <summary>The meter's name, which <c>dotnet-counters monitor --counters WasmSharedMemory</c> and OpenTelemetry's <c>AddMeter</c> take.</summary>
    public const string MeterName = "WasmSharedMemory";

    public const string ModuleTag = "wasm.module.name";
    public const string ExportTag = "wasm.export.name";
    public const string ErrorTag = "error.type";
    public const string CacheTag = "wasmsharedmemory.cache.result";

    private static readonly Meter s_meter = new(MeterName, typeof(WasmMetrics).Assembly.GetName().Version?.ToString(3));

    private static readonly Counter<long> s_calls = s_meter.CreateCounter<long>("wasmsharedmemory.calls", "{call}", "Calls into WebAssembly exports, the library's allocator calls included.");
    private static readonly Histogram<double> s_callDuration = s_meter.CreateHistogram<double>("wasmsharedmemory.call.duration", "s", "How long calls into WebAssembly exports took, failed ones included.");
    private static readonly Counter<long> s_traps = s_meter.CreateCounter<long>("wasmsharedmemory.traps", "{call}", "Calls that trapped, timed out, were canceled mid-call or broke the allocator contract (error.type says which).");
    private static readonly Counter<long> s_faults = s_meter.CreateCounter<long>("wasmsharedmemory.faults", "{instance}", "Instances faulted: they refuse every further call.");
    private static readonly Counter<long> s_instantiations = s_meter.CreateCounter<long>("wasmsharedmemory.instantiations", "{instance}", "Instances created from a compiled module.");
    private static readonly Histogram<double> s_instantiationDuration = s_meter.CreateHistogram<double>("wasmsharedmemory.instantiation.duration", "s", "How long instantiating a compiled module took, start function and allocator check included.");
    private static readonly Histogram<double> s_compileDuration = s_meter.CreateHistogram<double>("wasmsharedmemory.compile.duration", "s", "How long getting a module's compiled code took: compiling it, or loading it from the compile cache.");
    private static readonly Counter<long> s_cacheHits = s_meter.CreateCounter<long>("wasmsharedmemory.cache.hits", "{module}", "Modules whose compiled code was loaded from the compile cache after its digest verified.");
    private static readonly Counter<long> s_cacheMisses = s_meter.CreateCounter<long>("wasmsharedmemory.cache.misses", "{module}", "Modules compiled because the compile cache had no usable entry (wasmsharedmemory.cache.result says why).");

    static WasmMetrics()
    {
        s_meter.CreateObservableGauge("wasmsharedmemory.instance.count", () => MeteredInstances.Observe(MeteredInstances.Figure.Instances), "{instance}", "Live instances.");
        s_meter.CreateObservableGauge("wasmsharedmemory.buffer.count", () => MeteredInstances.Observe(MeteredInstances.Figure.Buffers), "{buffer}", "Buffers allocated and not yet disposed.");
        s_meter.CreateObservableGauge("wasmsharedmemory.buffer.usage", () => MeteredInstances.Observe(MeteredInstances.Figure.BufferBytes), "By", "Bytes held by live buffers.");
        s_meter.CreateObservableGauge("wasmsharedmemory.memory.size", () => MeteredInstances.Observe(MeteredInstances.Figure.MemoryBytes), "By", "Size of the instances' linear memories.");
    }

    /// <summary>Starts timing a call: the current timestamp when a listener wants calls, else 0, which makes <see cref="CallEnded"/> a no-op.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long CallStarted() => s_calls.Enabled || s_callDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Records a call that <see cref="CallStarted"/> started, whether it returned or threw; nothing when it returned 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CallEnded(string module, string export, long started)
    {
        if (started != 0)
        {
            RecordCall(module, export, started);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RecordCall(string module, string export, long started)
    {
        var tags = new TagList { { ModuleTag, module }, { ExportTag, export } };
        s_calls.Add(1, tags);
        if (s_callDuration.Enabled)
        {
            s_callDuration.Record(Seconds(started), tags);
        }
    }

    /// <summary>Records a failed call: <paramref name="error"/> is the exception the caller sees.</summary>
    public static void Trapped(string module, string export, Exception error)
    {
        if (s_traps.Enabled)
        {
            s_traps.Add(1, new TagList { { ModuleTag, module }, { ExportTag, export }, { ErrorTag, ErrorType(error) } });
        }
    }

    /// <summary>Records that an instance of <paramref name="module"/> faulted.</summary>
    public static void Faulted(string module)
    {
        if (s_faults.Enabled)
        {
            s_faults.Add(1, new KeyValuePair<string, object?>(ModuleTag, module));
        }
    }

    /// <summary>Starts timing an instantiation or a compile: the current timestamp (cheap, and off the call path).</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Records an instantiation of <paramref name="module"/> that began at <paramref name="started"/>.</summary>
    public static void Instantiated(string module, long started)
    {
        var tag = new KeyValuePair<string, object?>(ModuleTag, module);
        s_instantiations.Add(1, tag);
        if (s_instantiationDuration.Enabled)
        {
            s_instantiationDuration.Record(Seconds(started), tag);
        }
    }

    /// <summary>Records how <paramref name="module"/>'s compiled code was had: from the cache, compiled with no cache, or compiled after a miss.</summary>
    public static void Compiled(string module, CacheResult cache, long started)
    {
        var tags = new TagList { { ModuleTag, module }, { CacheTag, cache.ToString().ToLowerInvariant() } };
        if (s_compileDuration.Enabled)
        {
            s_compileDuration.Record(Seconds(started), tags);
        }

        if (cache == CacheResult.Hit)
        {
            s_cacheHits.Add(1, tags);
        }
        else if (cache != CacheResult.Off)
        {
            s_cacheMisses.Add(1, tags);
        }
    }

    /// <summary>The <c>error.type</c> of a failed call: the kind of failure, not its message (bounded cardinality).</summary>
    public static string ErrorType(Exception error) => error switch
    {
        WasmTrapException => "trap",
        TimeoutException => "timeout",
        OperationCanceledException => "canceled",
        WasmContractException => "contract",
        _ => error.GetType().Name,
    };

    private static double Seconds(long started) => (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
}
