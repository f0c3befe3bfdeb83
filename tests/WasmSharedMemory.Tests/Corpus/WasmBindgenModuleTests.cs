using System;
using System.IO;
using System.Linq;
using System.Text;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// wasm-bindgen builds published on npm, loaded as they are (no patch, no toolchain import defined by hand) and called
/// through bindings in wasm-bindgen's convention, each result compared with the package's own JavaScript in Node.
/// </summary>
public sealed class WasmBindgenModuleTests : LeakCheckedTests
{
    /// <summary>Text that compresses: a repeated, varied paragraph, 200 KB or so.</summary>
    private static byte[] Input(int repeats) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, repeats).Select(i => $"Line {i}: the quick brown fox jumps over the lazy dog — ünïcödé {i * 7919 % 1000}.\n")));

    [Fact]
    public void Lz4_Older_ReadmeRecipe_CompressMatchesNodeAndDecompressRoundTrips()
    {
        string path = PublishedModules.Path("lz4-wasm-nodejs");
        byte[] input = Input(3000);

        // --- README code starts (older build) ---
        using var host = WasmHost.FromFile(path);   // __wbindgen_malloc(size), __wbindgen_free(ptr, size): detected
        var lz4 = new Lz4(host);
        byte[] compressed = lz4.Compress(input);

        lz4.Decompress(out WasmBindgenVecResult result, compressed);   // the out value is the return area
        if (result.IsError != 0)
        {
            throw new InvalidDataException("not an LZ4 block");
        }

        using WasmBuffer<byte> output = host.Adopt<byte>(result.Pointer, result.Length);   // the Vec; Dispose frees it
        // --- README code ends ---

        Track(host);
        Assert.Equal(NodeReference.Run("lz4-wasm-nodejs.cjs", input: input), compressed);
        Assert.True(compressed.Length < input.Length / 2, $"{compressed.Length} bytes from {input.Length}");
        Assert.Equal(input, output.ToArray());
        output.Dispose();
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal("WasmBindgen: __wbindgen_malloc(i32 size) -> i32, __wbindgen_free(i32 ptr, i32 size) -> ()", host.Contract.ToString());
    }

    [Fact]
    public void Lz4_Older_ManyCallsOnOneHost_NeitherLeakNorDoubleFree()
    {
        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("lz4-wasm-nodejs"), options: new WasmHostOptions { MaxMemoryBytes = 8 << 20 }));
        var lz4 = new Lz4(host);
        byte[] input = Input(100);
        byte[] expected = lz4.Compress(input);

        for (int i = 0; i < 2000; i++)
        {
            Assert.Equal(expected, lz4.Compress(input));
        }

        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Tiktoken_Recent_ReadmeRecipe_EncodeOrdinaryMatchesNode()
    {
        string path = PublishedModules.Path("tiktoken");
        string text = Encoding.UTF8.GetString(Input(400)) + "Émoji 👍🏽 and 日本語 too.";

        // --- README code starts (recent build) ---
        // The crate's own imports are yours: here JSON.parse and JSON.stringify, which encode_ordinary never calls.
        var options = new WasmHostOptions();
        options.Imports.Define("./tiktoken_bg.js", "__wbg_parse_def2e24ef1252aff", new Func<int, int, int>((text, length) => throw new NotSupportedException("JSON.parse")));
        options.Imports.Define("./tiktoken_bg.js", "__wbg_stringify_f7ed6987935b4a24", new Func<int, int>(value => throw new NotSupportedException("JSON.stringify")));
        using var host = WasmHost.FromFile(path, options: options);   // numbered allocator exports: detected
        var tiktoken = new Tiktoken(host);

        tiktoken.GetEncoding(out WasmBindgenResult encoding, "cl100k_base", Tiktoken.Undefined);
        uint[] tokens = tiktoken.EncodeOrdinary(encoding.Value, text);
        tiktoken.Free(encoding.Value, 0);
        // --- README code ends ---

        Track(host);
        Assert.Equal(0, encoding.IsError);
        uint[] expected = NodeReference.RunText("tiktoken.cjs", new[] { "cl100k_base" }, Encoding.UTF8.GetBytes(text))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToArray();
        Assert.Equal(expected, tokens);
        Assert.True(tokens.Length > 1000);
        Assert.Equal(new uint[] { 15339, 1917 }, tiktoken.EncodeOrdinary(NewEncoding(tiktoken), "hello world"));
        Assert.StartsWith("WasmBindgen: __wbindgen_export_1(i32 size, i32 align) -> i32, __wbindgen_export_3(", host.Contract.ToString());
    }

    private static int NewEncoding(Tiktoken tiktoken)
    {
        tiktoken.GetEncoding(out WasmBindgenResult encoding, "cl100k_base", Tiktoken.Undefined);
        Assert.Equal(0, encoding.IsError);
        return encoding.Value;
    }
}
