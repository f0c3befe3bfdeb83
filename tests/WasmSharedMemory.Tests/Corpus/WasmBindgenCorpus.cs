using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>The two words wasm-bindgen writes to a return area for a <c>Vec&lt;T&gt;</c>: its address and length.</summary>
public struct WasmBindgenVec
{
    public uint Pointer;
    public int Length;
}

/// <summary>
/// wasm-flate 1.0.2, the oldest shape (wasm-bindgen 0.2.58): no <c>__wbindgen_add_to_stack_pointer</c>, so its
/// JavaScript passes a fixed return area as the first argument; here it is an <see langword="out"/> value instead.
/// </summary>
[WasmModule("wasm_flate_bg.wasm", Convention = WasmConvention.WasmBindgen)]
public sealed partial class WasmFlate
{
    /// <summary><c>zlib_encode_raw(base_raw: &amp;[u8]) -> Vec&lt;u8&gt;</c>.</summary>
    [WasmExport("zlib_encode_raw")]
    public partial void ZlibEncode(out WasmBindgenVec result, ReadOnlySpan<byte> input);

    /// <summary><c>zlib_decode_raw(base_compressed: &amp;[u8]) -> Vec&lt;u8&gt;</c>.</summary>
    [WasmExport("zlib_decode_raw")]
    public partial void ZlibDecode(out WasmBindgenVec result, ReadOnlySpan<byte> input);

    /// <summary><c>gzip_encode_raw(base_raw: &amp;[u8]) -> Vec&lt;u8&gt;</c>.</summary>
    [WasmExport("gzip_encode_raw")]
    public partial void GzipEncode(out WasmBindgenVec result, ReadOnlySpan<byte> input);
}

/// <summary>
/// brotli-wasm 3.0.1's Node build (wasm-bindgen 0.2.80). <c>compress</c> takes its options as a borrowed
/// <c>JsValue</c>; <see cref="Undefined"/> asks for the defaults.
/// </summary>
[WasmModule("brotli_wasm_bg.wasm", Convention = WasmConvention.WasmBindgen)]
public sealed partial class BrotliWasm
{
    /// <summary>Options with the crate's own imports defined.</summary>
    public static WasmHostOptions Options()
    {
        var options = new WasmHostOptions();
        DefineImports(options.Imports);
        return options;
    }

    /// <summary>wasm-bindgen 0.2.80 keeps <c>undefined</c> at <c>JsValue</c> index 32, after its 32-slot stack.</summary>
    public const int Undefined = 32;

    /// <summary><c>compress(buf: Box&lt;[u8]&gt;, raw_options: &amp;JsValue) -> Result&lt;Box&lt;[u8]&gt;, JsValue&gt;</c>.</summary>
    [WasmExport("compress")]
    public partial void Compress(out WasmBindgenVecResult result, ReadOnlySpan<byte> input, int options);

    /// <summary><c>decompress(buf: Box&lt;[u8]&gt;) -> Result&lt;Box&lt;[u8]&gt;, JsValue&gt;</c>.</summary>
    [WasmExport("decompress")]
    public partial void Decompress(out WasmBindgenVecResult result, ReadOnlySpan<byte> input);

    // console_error_panic_hook's imports, the crate's own (new Error(), its stack, console.error): reached only on a panic.
    [WasmImport("__wbindgen_placeholder__", "__wbg_new_693216e109162396")]
    private static int NewError() => throw new InvalidOperationException("brotli-wasm panicked.");

    [WasmImport("__wbindgen_placeholder__", "__wbg_stack_0ddaca5d1abfb52f")]
    private static void Stack(int result, int error) => throw new InvalidOperationException("brotli-wasm panicked.");

    [WasmImport("__wbindgen_placeholder__", "__wbg_error_09919627ac0992f5")]
    private static void Error(int text, int length) => throw new InvalidOperationException("brotli-wasm panicked.");
}

/// <summary>farmhash-modern 1.1.0's Node build: FarmHash over a byte slice the guest takes.</summary>
[WasmModule("farmhash_modern_bg.wasm", Convention = WasmConvention.WasmBindgen)]
public sealed partial class FarmHash
{
    /// <summary>Options with the crate's own imports defined.</summary>
    public static WasmHostOptions Options()
    {
        var options = new WasmHostOptions();
        DefineImports(options.Imports);
        return options;
    }

    [WasmExport("fingerprint64")]
    public partial long Fingerprint64(ReadOnlySpan<byte> input);

    [WasmExport("fingerprint32")]
    public partial int Fingerprint32(ReadOnlySpan<byte> input);

    [WasmExport("hash64_with_seed")]
    public partial long Hash64WithSeed(ReadOnlySpan<byte> input, long seed);

    // console_error_panic_hook's imports, the crate's own: reached only on a panic.
    [WasmImport("__wbindgen_placeholder__", "__wbg_new_abda76e883ba8a5f")]
    private static int NewError() => throw new InvalidOperationException("farmhash-modern panicked.");

    [WasmImport("__wbindgen_placeholder__", "__wbg_stack_658279fe44541cf6")]
    private static void Stack(int result, int error) => throw new InvalidOperationException("farmhash-modern panicked.");

    [WasmImport("__wbindgen_placeholder__", "__wbg_error_f851667af71bcfc6")]
    private static void Error(int text, int length) => throw new InvalidOperationException("farmhash-modern panicked.");
}
