using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// blake3-wasm as published (minified Emscripten, memory exported as <c>d</c>, fixed at 16 MiB: its memory declares
/// a maximum of 256 pages): BLAKE3 of an 8 MiB input equal to the package's own glue in Node, the known empty-input
/// vector, and an input too large for the module refused with an error that says why.
/// </summary>
public sealed class Blake3WasmTests : LeakCheckedTests
{
    [Fact]
    public void HashOneShot_8MiB_EqualsNode()
    {
        byte[] input = CorpusInput.Text(8 << 20, 9);
        string expected = NodeReference.RunText("blake3-wasm.mjs", Array.Empty<string>(), input);

        using WasmHost host = Load();
        string hash = Hash(host, input);

        Assert.Equal(expected, hash);
    }

    [Fact]
    public void Allocate_PastTheModulesDeclaredMaximum_ThrowsOutOfMemoryNamingIt()
    {
        using WasmHost host = Load();

        var e = Assert.Throws<WasmOutOfMemoryException>(() => host.Allocate<byte>(20 << 20));
        Assert.Equal(20 << 20, e.RequestedBytes);
        Assert.Contains("16777216", e.Message);
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void HashOneShot_Empty_IsBlake3sTestVector()
    {
        using WasmHost host = Load();

        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", Hash(host, ReadOnlySpan<byte>.Empty));
    }

    internal static WasmHostOptions Options()
    {
        var options = new WasmHostOptions();
        Blake3Wasm.DefineImports(options.Imports);
        return options;
    }

    internal static string Hash(WasmHost host, ReadOnlySpan<byte> input)
    {
        var blake3 = new Blake3Wasm(host);
        using WasmBuffer<byte> source = host.Allocate<byte>(Math.Max(1, input.Length));
        using WasmBuffer<byte> output = host.Allocate<byte>(32);
        input.CopyTo(source.Span);
        blake3.HashOneShot(source, input.Length, output, 32);
        return Convert.ToHexString(output.Span).ToLowerInvariant();
    }

    private WasmHost Load()
    {
        WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("blake3-wasm"), Blake3Wasm.Contract, Options()));
        new Blake3Wasm(host).CallConstructors();
        return host;
    }
}
