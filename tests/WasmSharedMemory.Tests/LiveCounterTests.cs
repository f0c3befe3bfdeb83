using System;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <c>LiveBuffers</c> and <c>LiveBytes</c> count the buffers of a live module: disposing the module disposes them
/// all, so both read 0 from then on, and disposing those buffers afterwards never takes them below 0.
/// </summary>
public sealed class LiveCounterTests : LeakCheckedTests
{
    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void LiveCounters_AfterModuleDispose_AreZeroAndStayZeroAsItsBuffersAreDisposed(ModuleVariant variant)
    {
        ISharedMemoryModule module = Load(variant);
        WasmBuffer<int> ints = module.Allocate<int>(8);
        WasmBuffer<double> doubles = module.Allocate<double>(100);
        WasmBuffer<float> empty = module.Allocate<float>(0);
        Assert.Equal(3, module.LiveBuffers);
        Assert.Equal(832, module.LiveBytes);

        module.Dispose();

        Assert.True(ints.IsDisposed && doubles.IsDisposed && empty.IsDisposed);
        Assert.Equal(0, module.LiveBuffers);
        Assert.Equal(0, module.LiveBytes);
        foreach (IDisposable buffer in new IDisposable[] { ints, doubles, empty, ints })
        {
            buffer.Dispose();
            Assert.Equal(0, module.LiveBuffers);
            Assert.Equal(0, module.LiveBytes);
        }
    }

    [Fact]
    public void LiveCounters_AfterHostDispose_AreZeroAndStayZeroAsItsBuffersAreDisposed()
    {
        WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc)));
        WasmBuffer<float> buffer = host.Allocate<float>(16);
        Assert.Equal(1, host.LiveBuffers);
        Assert.Equal(64, host.LiveBytes);

        host.Dispose();
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(0, host.LiveBytes);

        buffer.Dispose();
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(0, host.LiveBytes);
    }
}
