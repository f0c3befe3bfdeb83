using System;
using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// Moves wasm values between the raw slots the call path and <see cref="WasmValue{T}"/> use and Wasmtime.Dotnet's
/// boxes, which its public call path and host functions use: one arm per wasm value, whatever .NET type it carries.
/// </summary>
internal static class RawValues
{
    /// <summary>Boxes the wasm value of kind <paramref name="kind"/> in <paramref name="slot"/>.</summary>
    public static ValueBox Box(ValueKind kind, in RawValue slot) => kind switch
    {
        // Each arm boxes its own type: left to the switch's natural type, every value would pass through double.
        ValueKind.Int32 => (ValueBox)slot.I32,
        ValueKind.Int64 => (ValueBox)slot.I64,
        ValueKind.Float32 => (ValueBox)slot.F32,
        ValueKind.Float64 => (ValueBox)slot.F64,
        _ => throw Unsupported(kind),
    };

    /// <summary>Unboxes <paramref name="box"/>, a wasm value of kind <paramref name="kind"/>, into <paramref name="slot"/>.</summary>
    public static void Unbox(ValueKind kind, ValueBox box, ref RawValue slot)
    {
        switch (kind)
        {
            case ValueKind.Int32: slot.I32 = box.AsInt32(); break;
            case ValueKind.Int64: slot.I64 = box.AsInt64(); break;
            case ValueKind.Float32: slot.F32 = box.AsSingle(); break;
            case ValueKind.Float64: slot.F64 = box.AsDouble(); break;
            default: throw Unsupported(kind);
        }
    }

    /// <summary>Stores a result as <see cref="Function.Invoke(ReadOnlySpan{ValueBox})"/> returns it, boxed as its own type, in <paramref name="slot"/>.</summary>
    public static void FromResult(object? result, ref RawValue slot)
    {
        switch (result)
        {
            case int i32: slot.I32 = i32; break;
            case long i64: slot.I64 = i64; break;
            case float f32: slot.F32 = f32; break;
            case double f64: slot.F64 = f64; break;
        }
    }

    private static NotSupportedException Unsupported(ValueKind kind) =>
        new($"A {WasmTypes.Name(kind)} value cannot cross; only i32, i64, f32 and f64 do.");
}
