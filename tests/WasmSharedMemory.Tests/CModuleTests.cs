using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests;

/// <summary>
/// imaging.wasm, built by clang 14 against wasi-libc: its luma_histogram hands 256 bins in its own memory to the
/// imported env.host_histogram, which reads them in place.
/// </summary>
public sealed class CModuleTests : LeakCheckedTests
{
    /// <summary>Options that define the module's one import, doing nothing: what every load of imaging.wasm needs.</summary>
    internal static WasmHostOptions Options(Action<GuestMemory, int, int>? histogram = null)
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "host_histogram", histogram ?? ((memory, bins, count) => { }));
        return options;
    }

    [Fact]
    public void Load_WithoutTheImport_IsRefusedNamingIt()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromFile(ToolchainModules.C)));

        Assert.StartsWith("The module imports env.host_histogram (i32, i32) -> (), which nothing defines.", ex.Message);
    }

    [Fact]
    public void LumaHistogram_HandsTheHostBinsInModuleMemory_ThatMatchCSharp()
    {
        var histograms = new List<uint[]>();
        var addresses = new List<uint>();
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.C, options: Options((memory, bins, count) =>
        {
            addresses.Add((uint)bins);
            histograms.Add(memory.GetSpan<uint>((uint)bins, count).ToArray());
        })));
        const int pixels = 10_000;
        using WasmBuffer<byte> rgba = host.Allocate<byte>(4 * pixels);
        new Random(3).NextBytes(rgba.Span);
        var expected = new uint[256];
        for (int i = 0; i < pixels; i++)
        {
            expected[((77 * rgba.Span[4 * i]) + (150 * rgba.Span[(4 * i) + 1]) + (29 * rgba.Span[(4 * i) + 2])) >> 8]++;
        }

        int mode = host.GetFunction<int, int, int>("luma_histogram")((int)rgba.Address, pixels);

        Assert.Equal(expected, Assert.Single(histograms));
        Assert.Equal(Array.IndexOf(expected, Max(expected)), mode);
        Assert.NotEqual(rgba.Address, addresses[0]); // the module's own block, freed after the call
        Assert.Equal(-1, host.GetFunction<int, int, int>("luma_histogram")((int)rgba.Address, 0));
        Assert.Single(histograms); // n <= 0 does not call the host
    }

    [Fact]
    public void HostFunction_Throwing_TrapsTheExportWithTheHostsException()
    {
        var thrown = new InvalidOperationException("histogram sink full");
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.C, options: Options((memory, bins, count) => throw thrown)));
        using WasmBuffer<byte> rgba = host.Allocate<byte>(16);

        var ex = Assert.Throws<WasmTrapException>(() => host.GetFunction<int, int, int>("luma_histogram")((int)rgba.Address, 4));

        Assert.Equal("luma_histogram", ex.ExportName);
        Assert.Same(thrown, ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    private static uint Max(uint[] values)
    {
        uint max = 0;
        foreach (uint v in values) max = Math.Max(max, v);
        return max;
    }
}
