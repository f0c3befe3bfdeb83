using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// zstddec as published (standalone Emscripten, its module base64 inside its JavaScript, decoded unmodified): a
/// 64 MiB frame's worth of text decompressed, the memory grown past 64 MiB, equal to the package's decode() in Node.
/// </summary>
public sealed class ZstdDecTests : LeakCheckedTests
{
    [Fact]
    public void Decompress_64MiBFrame_EqualsNodeAndGrowsMemoryPast64MiB()
    {
        byte[] input = CorpusInput.Text(64 << 20, 8);
        byte[] frame = NodeReference.Run("zstd-wasm.mjs", new[] { "compress", "--level", "3" }, input);
        byte[] expected = NodeReference.Run("zstddec.mjs", Array.Empty<string>(), frame);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("zstddec")));
        Assert.Same(AllocatorContract.CMalloc, host.Contract);
        byte[] output = Decompress(host, frame);

        Assert.True(host.Memory.Length > 64 << 20, $"memory is {host.Memory.Length} bytes");
        Assert.Equal(expected.Length, output.Length);
        Assert.True(expected.AsSpan().SequenceEqual(output));
    }

    /// <summary>What the package's decode() does: the frame copied in, its content size read from it, one call.</summary>
    internal static byte[] Decompress(WasmHost host, ReadOnlySpan<byte> frame)
    {
        var zstd = new ZstdDec(host);
        using WasmBuffer<byte> source = host.Allocate<byte>(frame.Length);
        frame.CopyTo(source.Span);
        int size = checked((int)zstd.FindDecompressedSize(source, frame.Length));
        using WasmBuffer<byte> destination = host.Allocate<byte>(size);
        int written = zstd.Decompress(destination, size, source, frame.Length);
        return zstd.IsError(written) == 0 ? destination.Span.Slice(0, written).ToArray() : throw new InvalidOperationException($"ZSTD_decompress returned error {written}.");
    }
}
