using System;
using System.Text;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>A binding over a module a real toolchain built (Emscripten's signal.wasm), checked against the file at compile time.</summary>
public sealed class SignalBindingTests : LeakCheckedTests
{
    [Fact]
    public void Crc32_OfASpan_IsTheStandardCheckValue()
    {
        using WasmHost host = Load();
        var signal = new Signal(host);
        byte[] check = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xCBF43926u, signal.Crc32(check, check.Length));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void Fir_FiveParameters_MatchesCSharp()
    {
        using WasmHost host = Load();
        var signal = new Signal(host);
        const int n = 256;
        float[] taps = { 0.25f, 0.5f, 0.125f, -0.0625f };
        var random = new Random(3);
        using WasmBuffer<float> x = host.Allocate<float>(n);
        using WasmBuffer<float> y = host.Allocate<float>(n);
        using WasmBuffer<float> t = host.Allocate<float>(taps.Length);
        for (int i = 0; i < n; i++) x.Span[i] = (float)random.NextDouble();
        t.CopyFrom(taps);

        signal.Fir(x, y, n, t, taps.Length);

        float[] expected = new float[n];
        for (int i = 0; i < n; i++)
        {
            float acc = 0f;
            for (int k = 0; k < taps.Length && k <= i; k++) acc += taps[k] * x.Span[i - k];
            expected[i] = acc;
        }

        Assert.Equal(expected, y.ToArray());
    }

    private WasmHost Load()
    {
        var options = new WasmHostOptions();
        Signal.DefineImports(options.Imports);
        return Track(WasmHost.FromFile(ToolchainModules.Emscripten, options: options));
    }
}
