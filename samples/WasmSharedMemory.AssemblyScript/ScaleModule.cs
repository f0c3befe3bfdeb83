using System.Collections.Generic;
using WasmSharedMemory;

/// <summary>
/// scale.wasm's exports as C# methods and its host imports as C# functions, both implemented at compile time by the
/// package's source generator and checked against the module (the project lists scale.wasm in AdditionalFiles).
/// Buffers cross as <see cref="WasmBuffer{T}"/>, each passed as its checked address; the generated
/// <c>ScaleModule.DefineImports</c> registers <c>env.host_log</c> and <c>env.host_scale</c>.
/// </summary>
[WasmModule("scale.wasm")]
internal sealed partial class ScaleModule
{
    /// <summary><c>scale(ptr: usize, n: i32, factor: f32): void</c>: multiplies n floats in place.</summary>
    [WasmExport("scale")]
    public partial void Scale(WasmBuffer<float> values, int length, float factor);

    /// <summary><c>sum(ptr: usize, n: i32): f64</c>: n doubles added in order.</summary>
    [WasmExport("sum")]
    public partial double Sum(WasmBuffer<double> values, int length);

    /// <summary><c>prefix_sum(src: usize, dst: usize, n: i32): void</c>: running sums of i32, wrapping.</summary>
    [WasmExport("prefix_sum")]
    public partial void PrefixSum(WasmBuffer<int> source, WasmBuffer<int> destination, int length);

    /// <summary><c>histogram(src: usize, n: i32, bins: usize): void</c>: counts n bytes into 256 u32 bins.</summary>
    [WasmExport("histogram")]
    public partial void Histogram(WasmBuffer<byte> bytes, int length, WasmBuffer<uint> bins);

    /// <summary><c>scale_with_host(ptr: usize, n: i32): void</c>: replaces each float by the host's <see cref="HostScale"/> of it.</summary>
    [WasmExport("scale_with_host")]
    public partial void ScaleWithHost(WasmBuffer<float> values, int length);

    /// <summary><c>greet(namePtr: usize, byteLength: i32): i32</c>: logs "hello, name!" through host_log, returns its byte length.</summary>
    [WasmExport("greet")]
    public partial int Greet(WasmBuffer<byte> utf8Name, int byteLength);

    /// <summary><c>fail(code: i32): void</c>: always throws, which aborts and faults the host.</summary>
    [WasmExport("fail")]
    public partial void Fail(int code);

    /// <summary>What <c>env.host_log</c> received, in order. Static because the import is: one module at a time here.</summary>
    public static List<string> Logs { get; } = new();

    /// <summary><c>host_scale(x: f32): f32</c>, called by <c>scale_with_host</c> once per element; the sample's C# reference too.</summary>
    [WasmImport("env", "host_scale")]
    internal static float HostScale(float x) => (x * 0.5f) + 1f;

    /// <summary><c>host_log(ptr: usize, byteLength: i32): void</c>: UTF-8 in the module's memory, read where it lies, valid only during the call.</summary>
    [WasmImport("env", "host_log")]
    private static void HostLog(GuestMemory memory, uint text, int byteLength) => Logs.Add(memory.ReadUtf8(text, byteLength));
}
