using System;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// A <see cref="System.Diagnostics.Metrics.MeterListener"/> whose callback throws: its exception may reach the caller,
/// as the runtime's own instruments let it, but the library's state stays consistent: the kernel catalog keeps no
/// failure, a trap still faults its host, an allocation leaves no buffer behind, an instantiation no host.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MeterListenerFailureTests : LeakCheckedTests
{
    /// <summary>Before the fix the catalog's Lazy kept the listener's exception: every later load of the process threw it.</summary>
    [Fact]
    public void KernelLoad_ListenerThrowsOnTheFirstCompile_ALaterLoadWorks()
    {
        var catalog = new ModuleCatalog();
        using (new ThrowingListener("wasmsharedmemory.compile.duration"))
        {
            Assert.Throws<ListenerException>(() => Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Scalar, null)));
        }

        using ISharedMemoryModule module = Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Scalar, null));
        using WasmBuffer<float> a = module.Allocate<float>(4);
        a.Span.Fill(3f);
        module.Multiply(a, a, a);
        Assert.All(a.ToArray(), p => Assert.Equal(9f, p));
    }

    /// <summary>Before the fix the trap was counted before the host was faulted: the listener's throw skipped the fault, and the pool rented the host again.</summary>
    [Fact]
    public void Trap_ListenerThrowsOnTheTrapCount_FaultsTheHostAndAWhenCleanPoolNeverRentsItAgain()
    {
        using WasmModule module = TenantModule();
        using var pool = new WasmHostPool(module, maxHosts: 1, reuse: WasmHostReuse.WhenClean);
        WasmHost trapped;
        using (WasmHostLease lease = pool.Rent())
        {
            trapped = lease.Host;
            using (new ThrowingListener("wasmsharedmemory.traps"))
            {
                Assert.Throws<ListenerException>(() => lease.Host.GetAction("trap")());
            }

            Assert.True(lease.Host.IsFaulted);
            Assert.Throws<WasmModuleFaultedException>(() => lease.Host.GetAction("trap")());
        }

        using WasmHostLease next = pool.Rent();
        Assert.NotSame(trapped, next.Host);
        Assert.False(next.Host.IsFaulted);
    }

    /// <summary>Before the fix the buffer was made and counted, then lost when the call's measurement threw: live, and nobody could free it.</summary>
    [Fact]
    public void Allocate_ListenerThrowsOnTheCallCount_LeavesNoLiveBuffer()
    {
        using WasmModule module = TenantModule();
        using WasmHost host = Track(module.Instantiate());
        using (new ThrowingListener("wasmsharedmemory.calls"))
        {
            Assert.Throws<ListenerException>(() => host.Allocate<int>(16));
        }

        Assert.Equal((0, 0L), (host.LiveBuffers, host.LiveBytes));
        using WasmBuffer<int> buffer = host.Allocate<int>(16);
        Assert.Equal(1, host.LiveBuffers);
    }

    /// <summary>Before the fix each failed rent left a host alive that nobody held: instance.count stayed at 2 after the pool and module were disposed.</summary>
    [Fact]
    public void Rent_ListenerThrowsOnTheInstantiationCount_LeavesNoLiveHostAndFreesTheSlot()
    {
        WasmModule module = TenantModule();
        using var metrics = new MetricsCollector(module.Name);
        using (var pool = new WasmHostPool(module, maxHosts: 2, reuse: WasmHostReuse.WhenClean))
        {
            using (new ThrowingListener("wasmsharedmemory.instantiations"))
            {
                Assert.Throws<ListenerException>(() => pool.Rent());
                Assert.Throws<ListenerException>(() => pool.Rent());
            }

            Assert.Equal(0, pool.LeasedHosts);
            using (pool.Rent())
            using (pool.Rent())
            {
                Assert.Equal(2, pool.LeasedHosts); // both slots came back
            }
        }

        module.Dispose();
        metrics.Observe();
        Assert.DoesNotContain(metrics.Of("wasmsharedmemory.instance.count"), m => m.Value != 0);
    }

    private static WasmModule TenantModule() =>
        WasmModule.FromText(ToolchainModules.Wat("tenant.wat"), new WasmModuleOptions { Name = "tenant-" + Guid.NewGuid().ToString("N") });
}
