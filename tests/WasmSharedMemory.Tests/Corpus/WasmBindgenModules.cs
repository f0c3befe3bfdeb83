using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// The words wasm-bindgen writes to a return area for a <c>Result&lt;T, JsValue&gt;</c> whose <c>T</c> is one word:
/// the value, the error's <c>JsValue</c> index, and whether it is an error.
/// </summary>
public struct WasmBindgenResult
{
    public int Value;
    public int Error;
    public int IsError;
}

/// <summary>The four words of a <c>Result&lt;Vec&lt;T&gt;, JsValue&gt;</c>: the vector's address and length, the error's index, whether it is an error.</summary>
public struct WasmBindgenVecResult
{
    public uint Pointer;
    public int Length;
    public int Error;
    public int IsError;
}

/// <summary>lz4-wasm-nodejs 0.9.2, an older wasm-bindgen build, as published.</summary>
[WasmModule("lz4_wasm_nodejs_bg.wasm", Convention = WasmConvention.WasmBindgen)]
public sealed partial class Lz4
{
    /// <summary><c>compress(input: &amp;[u8]) -> Vec&lt;u8&gt;</c>.</summary>
    [WasmExport("compress")]
    public partial byte[] Compress(ReadOnlySpan<byte> input);

    /// <summary><c>decompress(input: &amp;[u8]) -> Result&lt;Vec&lt;u8&gt;, JsValue&gt;</c>: the return area is the <see langword="out"/> value.</summary>
    [WasmExport("decompress")]
    public partial void Decompress(out WasmBindgenVecResult result, ReadOnlySpan<byte> input);
}

/// <summary>tiktoken 1.0.22, a recent wasm-bindgen build with numbered allocator exports, as published.</summary>
[WasmModule("tiktoken_bg.wasm", Convention = WasmConvention.WasmBindgen)]
public sealed partial class Tiktoken
{
    /// <summary>wasm-bindgen 0.2.84 and later keep <c>undefined</c> at <c>JsValue</c> index 128.</summary>
    public const int Undefined = 128;

    /// <summary><c>get_encoding(encoding: &amp;str, extend_special_tokens: JsValue) -> Result&lt;Tiktoken, JsValue&gt;</c>.</summary>
    [WasmExport("get_encoding")]
    public partial void GetEncoding(out WasmBindgenResult result, string encoding, int extendSpecialTokens);

    /// <summary><c>Tiktoken::encode_ordinary(&amp;self, text: &amp;str) -> Vec&lt;u32&gt;</c>.</summary>
    [WasmExport("tiktoken_encode_ordinary")]
    public partial uint[] EncodeOrdinary(int tiktoken, string text);

    /// <summary>Frees a <c>Tiktoken</c>, as its JavaScript class's <c>free()</c> does.</summary>
    [WasmExport("__wbg_tiktoken_free")]
    public partial void Free(int tiktoken, int unused);
}
