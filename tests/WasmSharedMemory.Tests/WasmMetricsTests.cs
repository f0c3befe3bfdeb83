using System;
using System.Linq;
using System.Threading;
using WasmSharedMemory.Internals.Caching;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Tests;

/// <summary>The <c>WasmSharedMemory</c> meter: what it publishes, and that it measures nothing while nobody listens.</summary>
[Collection(MetricsCollection.Name)]
public sealed class WasmMetricsTests : LeakCheckedTests
{
    private readonly string _module = "metrics-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Meter_PublishesEveryInstrumentWithAUnit()
    {
        using var collector = new MetricsCollector(_module);

        string[] expected =
        {
            "wasmsharedmemory.calls", "wasmsharedmemory.call.duration", "wasmsharedmemory.traps", "wasmsharedmemory.faults",
            "wasmsharedmemory.instantiations", "wasmsharedmemory.instantiation.duration", "wasmsharedmemory.compile.duration",
            "wasmsharedmemory.cache.hits", "wasmsharedmemory.cache.misses", "wasmsharedmemory.instance.count",
            "wasmsharedmemory.buffer.count", "wasmsharedmemory.buffer.usage", "wasmsharedmemory.memory.size",
        };
        var published = collector.Instruments.ToDictionary(i => i.Name);
        Assert.All(expected, name => Assert.False(string.IsNullOrEmpty(Assert.Contains(name, published).Unit)));
    }

    [Fact]
    public void CallStarted_NoListener_ReadsNoClock()
    {
        Assert.Equal(0, WasmMetrics.CallStarted());
        WasmMetrics.CallEnded(_module, "f", 0); // a no-op the caller skips; must not throw either
    }

    [Fact]
    public void CallEnded_WithAListener_CountsTheCallAndItsDurationTaggedWithModuleAndExport()
    {
        using var collector = new MetricsCollector(_module);

        long started = WasmMetrics.CallStarted();
        Thread.Sleep(2);
        WasmMetrics.CallEnded(_module, "resize", started);

        Assert.NotEqual(0, started);
        var call = Assert.Single(collector.Of("wasmsharedmemory.calls"));
        Assert.Equal(1, call.Value);
        Assert.Equal("resize", call.Tags[WasmMetrics.ExportTag]);
        var duration = Assert.Single(collector.Of("wasmsharedmemory.call.duration"));
        Assert.InRange(duration.Value, 0.001, 10);
    }

    [Theory]
    [InlineData(typeof(WasmTrapException), "trap")]
    [InlineData(typeof(TimeoutException), "timeout")]
    [InlineData(typeof(OperationCanceledException), "canceled")]
    [InlineData(typeof(WasmContractException), "contract")]
    public void Trapped_TagsTheKindOfFailure(Type exception, string errorType)
    {
        using var collector = new MetricsCollector(_module);
        Exception error = exception == typeof(WasmTrapException)
            ? new WasmTrapException("f", "trapped", new InvalidOperationException())
            : (Exception)Activator.CreateInstance(exception, "failed")!;

        WasmMetrics.Trapped(_module, "f", error);
        WasmMetrics.Faulted(_module);

        Assert.Equal(errorType, Assert.Single(collector.Of("wasmsharedmemory.traps")).Tags[WasmMetrics.ErrorTag]);
        Assert.Equal(1, collector.Sum("wasmsharedmemory.faults"));
    }

    [Theory]
    [InlineData(CacheResult.Hit, 1, 0)]
    [InlineData(CacheResult.Absent, 0, 1)]
    [InlineData(CacheResult.Rejected, 0, 1)]
    [InlineData(CacheResult.Incompatible, 0, 1)]
    [InlineData(CacheResult.Off, 0, 0)]
    internal void Compiled_CountsHitsAndMissesAndTimesEveryCompile(CacheResult result, int hits, int misses)
    {
        using var collector = new MetricsCollector(_module);

        WasmMetrics.Compiled(_module, result, WasmMetrics.Now());
        WasmMetrics.Instantiated(_module, WasmMetrics.Now());

        Assert.Equal(hits, collector.Sum("wasmsharedmemory.cache.hits"));
        Assert.Equal(misses, collector.Sum("wasmsharedmemory.cache.misses"));
        Assert.Equal(result.ToString().ToLowerInvariant(), Assert.Single(collector.Of("wasmsharedmemory.compile.duration")).Tags[WasmMetrics.CacheTag]);
        Assert.Equal(1, collector.Sum("wasmsharedmemory.instantiations"));
        Assert.Single(collector.Of("wasmsharedmemory.instantiation.duration"));
    }

    [Fact]
    public void Gauges_SumTheLiveInstancesOfAModule()
    {
        using var collector = new MetricsCollector(_module);
        var first = new FakeInstance(_module, buffers: 2, bytes: 100, memory: 65536);
        var second = new FakeInstance(_module, buffers: 1, bytes: 10, memory: 131072);
        MeteredInstances.Add(first);
        MeteredInstances.Add(second);
        try
        {
            collector.Observe();

            Assert.Equal(2, collector.Last("wasmsharedmemory.instance.count"));
            Assert.Equal(3, collector.Last("wasmsharedmemory.buffer.count"));
            Assert.Equal(110, collector.Last("wasmsharedmemory.buffer.usage"));
            Assert.Equal(65536 + 131072, collector.Last("wasmsharedmemory.memory.size"));
        }
        finally
        {
            MeteredInstances.Remove(first);
            MeteredInstances.Remove(second);
        }

        int measured = collector.Of("wasmsharedmemory.instance.count").Count;
        collector.Observe();
        Assert.Equal(measured, collector.Of("wasmsharedmemory.instance.count").Count); // none live: no measurement for the module
    }

    private sealed class FakeInstance : IMeteredInstance
    {
        public FakeInstance(string module, int buffers, long bytes, long memory) =>
            (ModuleName, LiveBuffers, LiveBytes, MemoryBytes) = (module, buffers, bytes, memory);

        public string ModuleName { get; }

        public int LiveBuffers { get; }

        public long LiveBytes { get; }

        public long MemoryBytes { get; }
    }
}

/// <summary>Tests that listen to the library's meter run one at a time, so a listener never sees another test's switch.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
