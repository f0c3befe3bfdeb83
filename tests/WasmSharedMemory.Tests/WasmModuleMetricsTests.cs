using System;
using System.Linq;

namespace WasmSharedMemory.Tests;

/// <summary>The meter wired into the call path: calls, traps, faults, instantiations and gauges of real hosts, tagged with the module's name.</summary>
[Collection(MetricsCollection.Name)]
public sealed class WasmModuleMetricsTests : LeakCheckedTests
{
    private readonly string _name = "metered-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Host_CallsTrapsAndInstantiations_AreMeasuredWithTheModulesName()
    {
        using var metrics = new MetricsCollector(_name);
        using WasmModule module = WasmModule.FromText(WasmHostPoolTests.CountingModule, new WasmModuleOptions { Name = _name });
        using WasmHost host = Track(module.Instantiate());
        var bump = host.GetFunction<int, int>("bump");

        bump(1);
        bump(1);
        Assert.Throws<WasmTrapException>(() => bump(0));

        Assert.Equal(1, metrics.Sum("wasmsharedmemory.instantiations"));
        var calls = metrics.Of("wasmsharedmemory.calls").Where(c => (string?)c.Tags["wasm.export.name"] == "bump").ToList();
        Assert.Equal(3, calls.Sum(c => c.Value));
        Assert.Equal(3, metrics.Of("wasmsharedmemory.call.duration").Count(c => (string?)c.Tags["wasm.export.name"] == "bump"));
        Assert.Equal("trap", Assert.Single(metrics.Of("wasmsharedmemory.traps")).Tags["error.type"]);
        Assert.Equal(1, metrics.Sum("wasmsharedmemory.faults"));
        Assert.Equal("off", Assert.Single(metrics.Of("wasmsharedmemory.compile.duration")).Tags["wasmsharedmemory.cache.result"]);
    }

    [Fact]
    public void Gauges_NeverEnterTheInstance_SoTheCallGateStaysBiasedToItsThread()
    {
        using var metrics = new MetricsCollector(_name);
        using WasmModule module = WasmModule.FromText(WasmHostPoolTests.CountingModule, new WasmModuleOptions { Name = _name });
        using WasmHost host = Track(module.Instantiate());
        host.GetFunction<int, int>("bump")(1);
        bool revokedBefore = GateRevoked(host); // the netstandard2.0 build's gate starts revoked

        var observer = new System.Threading.Thread(metrics.Observe);
        observer.Start();
        observer.Join();

        Assert.Equal(host.MemoryBytes, metrics.Last("wasmsharedmemory.memory.size"));
        Assert.True(GateRevoked(host) == revokedBefore, "Observing the gauges from another thread took the call gate and ended its bias.");
    }

    /// <summary>Whether the instance's call gate has stopped being biased to one thread (read through reflection: a test-only look).</summary>
    private static bool GateRevoked(WasmHost host)
    {
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        object gate = typeof(WasmSharedMemory.Internals.GuestInstance).GetField("_gate", Private)!.GetValue(host.Guest)!;
        return (int)gate.GetType().GetField("_revoked", Private)!.GetValue(gate)! != 0;
    }

    [Fact]
    public void Gauges_ReportLiveHostsBuffersAndMemoryOfTheModule()
    {
        using var metrics = new MetricsCollector(_name);
        using WasmModule module = WasmModule.FromText(WasmHostPoolTests.CountingModule, new WasmModuleOptions { Name = _name });
        using WasmHost first = Track(module.Instantiate());
        using WasmHost second = Track(module.Instantiate());
        using WasmBuffer<float> a = first.Allocate<float>(16);
        using WasmBuffer<int> b = second.Allocate<int>(8);

        metrics.Observe();

        Assert.Equal(2, metrics.Last("wasmsharedmemory.instance.count"));
        Assert.Equal(2, metrics.Last("wasmsharedmemory.buffer.count"));
        Assert.Equal(first.LiveBytes + second.LiveBytes, metrics.Last("wasmsharedmemory.buffer.usage"));
        Assert.Equal(first.MemoryBytes + second.MemoryBytes, metrics.Last("wasmsharedmemory.memory.size"));
    }
}
