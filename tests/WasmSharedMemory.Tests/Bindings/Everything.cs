using System;
using System.Threading;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>A byte-sized enum, crossing as its underlying value.</summary>
public enum Shade : byte
{
    Dark = 1,
    Light = 200,
}

/// <summary>A pair laid out as the WAT module reads it: an i32 at 0 and an i64 at 8.</summary>
public struct Pair
{
    public int A;
    public long B;
}

/// <summary>Every kind of parameter and result the generator marshals, bound to <see cref="BindingModules.Everything"/>.</summary>
[WasmModule]
public sealed partial class Everything
{
    [WasmExport("widen_s")]
    public partial long WidenSigned(sbyte value);

    [WasmExport("widen_u")]
    public partial long WidenUnsigned(byte value);

    [WasmExport("echo_i32")]
    public partial short EchoShort(short value);

    [WasmExport("echo_i32b")]
    public partial ushort EchoUShort(ushort value);

    [WasmExport("echo_i32c")]
    public partial uint EchoUInt(uint value);

    [WasmExport("echo_i32d")]
    public partial Shade EchoShade(Shade value);

    [WasmExport("echo_i64")]
    public partial ulong EchoULong(ulong value);

    [WasmExport("echo_f32")]
    public partial float EchoFloat(float value);

    [WasmExport("not")]
    public partial bool Not(bool value);

    [WasmExport("bump_pair")]
    public partial void BumpPair(ref Pair pair);

    [WasmExport("sum_pair")]
    public partial long SumPair(in Pair pair);

    [WasmExport("halves")]
    public partial double Halves(double value, out double half, out float quarter);

    [WasmExport("strlen")]
    public partial int Length(string? text);

    [WasmExport("strlen2")]
    public partial int Lengths(string first, string second);

    [WasmExport("strlen_trap")]
    public partial void LengthThenTrap(string text);

    [WasmExport("greeting")]
    public partial string? Greeting(bool present);

    [WasmExport("sum_bytes")]
    public partial int SumBytes(ReadOnlySpan<byte> bytes, int length);

    [WasmExport("scale")]
    public partial void Scale(Span<float> values, int length, float factor);

    [WasmExport("spin")]
    public partial void Spin(CancellationToken cancellationToken);
}
