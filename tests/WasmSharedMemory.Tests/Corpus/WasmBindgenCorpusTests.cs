using System;
using System.Globalization;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// wasm-flate (wasm-bindgen 0.2.58), brotli-wasm and farmhash-modern as published, through bindings in wasm-bindgen's
/// convention, each on an input that grows the module's memory, each result compared with the package's own
/// JavaScript in Node; no wasm-bindgen intrinsic is defined here, only the crates' own panic-hook imports.
/// </summary>
public sealed class WasmBindgenCorpusTests : LeakCheckedTests
{
    [Fact]
    public void WasmFlate_ZlibEncode6MiB_EqualsNodeAndDecodesBack()
    {
        byte[] input = CorpusInput.Text(6 << 20, 12);
        byte[] expected = NodeReference.Run("wasm-flate.mjs", new[] { "zlib_encode_raw" }, input);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("wasm-flate")));
        var flate = new WasmFlate(host);
        long before = host.Memory.Length;
        byte[] compressed = Take(host, Call(flate.ZlibEncode, input));

        Assert.True(host.Memory.Length > before + input.Length, $"memory grew from {before} to {host.Memory.Length} bytes");
        Assert.Equal(expected, compressed);
        Assert.True(Take(host, Call(flate.ZlibDecode, compressed)).AsSpan().SequenceEqual(input));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void WasmFlate_GzipEncode_EqualsNode()
    {
        byte[] input = CorpusInput.Text(1 << 20, 13);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("wasm-flate")));
        byte[] compressed = Take(host, Call(new WasmFlate(host).GzipEncode, input));

        Assert.Equal(NodeReference.Run("wasm-flate.mjs", new[] { "gzip_encode_raw" }, input), compressed);
    }

    [Fact]
    public void Brotli_CompressDefaults_EqualsNodeAndDecompressesBack()
    {
        byte[] input = CorpusInput.Text(1 << 20, 14);
        byte[] expected = NodeReference.Run("brotli-wasm.mjs", new[] { "compress" }, input);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("brotli-wasm"), options: BrotliWasm.Options()));
        var brotli = new BrotliWasm(host);
        long before = host.Memory.Length;
        brotli.Compress(out WasmBindgenVecResult compressed, input, BrotliWasm.Undefined);
        Assert.Equal(0, compressed.IsError);
        byte[] bytes = Take(host, new WasmBindgenVec { Pointer = compressed.Pointer, Length = compressed.Length });

        Assert.True(host.Memory.Length > before + input.Length, $"memory grew from {before} to {host.Memory.Length} bytes");
        Assert.Equal(expected, bytes);
        brotli.Decompress(out WasmBindgenVecResult decompressed, bytes);
        Assert.Equal(0, decompressed.IsError);
        Assert.True(Take(host, new WasmBindgenVec { Pointer = decompressed.Pointer, Length = decompressed.Length }).AsSpan().SequenceEqual(input));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void Brotli_DecompressGarbage_ReturnsTheGuestsErrorAndKeepsTheHost()
    {
        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("brotli-wasm"), options: BrotliWasm.Options()));
        var brotli = new BrotliWasm(host);

        brotli.Decompress(out WasmBindgenVecResult result, "not a brotli stream"u8);

        Assert.Equal(1, result.IsError);
        Assert.False(host.IsFaulted);
        brotli.Compress(out WasmBindgenVecResult again, "still works"u8, BrotliWasm.Undefined);
        Assert.Equal(0, again.IsError);
        Take(host, new WasmBindgenVec { Pointer = again.Pointer, Length = again.Length });
    }

    [Fact]
    public void FarmHash_32MiB_EqualsNodeAndGrowsMemory()
    {
        byte[] input = CorpusInput.Text(32 << 20, 15);
        string fingerprint = NodeReference.RunText("farmhash-modern.mjs", new[] { "fingerprint64" }, input);
        string seeded = NodeReference.RunText("farmhash-modern.mjs", new[] { "hash64WithSeed", "--seed", "12345" }, input);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("farmhash-modern"), options: FarmHash.Options()));
        var farmhash = new FarmHash(host);
        long before = host.Memory.Length;

        Assert.Equal(fingerprint, ((ulong)farmhash.Fingerprint64(input)).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(seeded, ((ulong)farmhash.Hash64WithSeed(input, 12345)).ToString(CultureInfo.InvariantCulture));
        Assert.True(host.Memory.Length > before + input.Length, $"memory grew from {before} to {host.Memory.Length} bytes");
        Assert.Equal(0, host.LiveBuffers);
    }

    private delegate void VecCall(out WasmBindgenVec result, ReadOnlySpan<byte> input);

    private static WasmBindgenVec Call(VecCall call, ReadOnlySpan<byte> input)
    {
        call(out WasmBindgenVec result, input);
        return result;
    }

    /// <summary>Copies a returned <c>Vec&lt;u8&gt;</c> out and frees it with the module's own free, as the package's JavaScript does.</summary>
    internal static byte[] Take(WasmHost host, WasmBindgenVec vec)
    {
        using WasmBuffer<byte> buffer = host.Adopt<byte>(vec.Pointer, vec.Length);
        return buffer.ToArray();
    }
}
