using System;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>Bound to Modules/bindgen_convention.wat in wasm-bindgen's convention.</summary>
[WasmModule(Convention = WasmConvention.WasmBindgen)]
public sealed partial class BindgenDemo
{
    [WasmExport("reverse")]
    public partial byte[] Reverse(ReadOnlySpan<byte> bytes);

    [WasmExport("reverse_array")]
    public partial byte[] ReverseArray(byte[] bytes);

    [WasmExport("reverse_buffer")]
    public partial byte[] ReverseBuffer([WasmTransfer] WasmBuffer<byte> bytes);

    [WasmExport("upper")]
    public partial string Upper(string text);

    [WasmExport("sum_u32")]
    public partial int Sum(ReadOnlySpan<uint> values);

    [WasmExport("double_in_place")]
    public partial void DoubleInPlace(Span<byte> bytes);

    [WasmExport("double_buffer")]
    public partial void DoubleBuffer(WasmBuffer<byte> bytes);

    [WasmExport("fail")]
    public partial void Fail(string message);

    [WasmExport("roundtrip")]
    public partial string RoundTrip(string text);
}
