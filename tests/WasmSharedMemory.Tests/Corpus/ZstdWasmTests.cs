using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// @bokuweb/zstd-wasm as published (minified Emscripten, memory exported as <c>f</c>, growth through its resize
/// import): a 48 MiB input compressed and decompressed, the memory grown past 64 MiB, equal to the package's own
/// compress() and decompress() in Node.
/// </summary>
public sealed class ZstdWasmTests : LeakCheckedTests
{
    private const int Level = 3;

    [Fact]
    public void Compress_48MiB_EqualsNodeAndGrowsMemoryPast64MiB()
    {
        byte[] input = CorpusInput.Text(48 << 20, 5);
        byte[] expected = NodeReference.Run("zstd-wasm.mjs", new[] { "compress", "--level", $"{Level}" }, input);

        using WasmHost host = Load();
        byte[] compressed = Compress(host, input);

        Assert.True(host.Memory.Length > 64 << 20, $"memory is {host.Memory.Length} bytes");
        Assert.Equal(expected, compressed);
    }

    [Fact]
    public void Decompress_NodesFrame_GivesTheInputBack()
    {
        byte[] input = CorpusInput.Text(20 << 20, 6);
        byte[] frame = NodeReference.Run("zstd-wasm.mjs", new[] { "compress", "--level", $"{Level}" }, input);

        using WasmHost host = Load();
        var zstd = new ZstdWasm(host);
        using WasmBuffer<byte> source = host.Allocate<byte>(frame.Length);
        using WasmBuffer<byte> destination = host.Allocate<byte>(input.Length);
        frame.CopyTo(source.Span);
        int size = zstd.Decompress(destination, destination.Length, source, frame.Length);

        Assert.Equal(0, zstd.IsError(size));
        Assert.True(destination.Span.SequenceEqual(input));
    }

    private WasmHost Load()
    {
        var options = new WasmHostOptions();
        ZstdWasm.DefineImports(options.Imports);
        WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("zstd-wasm"), ZstdWasm.Contract, options));
        new ZstdWasm(host).CallConstructors();
        return host;
    }

    /// <summary>What the package's compress() does: a ZSTD_compressBound-sized output, the input copied in, one call.</summary>
    internal static byte[] Compress(WasmHost host, ReadOnlySpan<byte> input)
    {
        var zstd = new ZstdWasm(host);
        int bound = zstd.CompressBound(input.Length);
        using WasmBuffer<byte> destination = host.Allocate<byte>(bound);
        using WasmBuffer<byte> source = host.Allocate<byte>(input.Length);
        input.CopyTo(source.Span);
        int size = zstd.Compress(destination, bound, source, input.Length, Level);
        if (zstd.IsError(size) != 0)
        {
            throw new InvalidOperationException($"ZSTD_compress returned error {size}.");
        }

        return destination.Span.Slice(0, size).ToArray();
    }
}
