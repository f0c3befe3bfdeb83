using System;
using System.Collections.Generic;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// The one table of the .NET types that cross between .NET and WebAssembly, the wasm value each crosses as and how
/// it converts, and the printed form of wasm values and signatures. Exports and imports (through
/// <see cref="WasmValue{T}"/> and <see cref="WasmSignature.Of"/>), the kernels' descriptors and the public call
/// path all read it: a parameter type is added by adding its row.
/// </summary>
internal static class WasmTypes
{
    private static readonly WasmType[] s_scalars =
    {
        new(typeof(sbyte), ValueKind.Int32, "sbyte", WasmType.Conversion.SignExtend),
        new(typeof(byte), ValueKind.Int32, "byte", WasmType.Conversion.ZeroExtend),
        new(typeof(short), ValueKind.Int32, "short", WasmType.Conversion.SignExtend),
        new(typeof(ushort), ValueKind.Int32, "ushort", WasmType.Conversion.ZeroExtend),
        new(typeof(int), ValueKind.Int32, "int", WasmType.Conversion.Bits),
        new(typeof(uint), ValueKind.Int32, "uint", WasmType.Conversion.Bits),
        new(typeof(bool), ValueKind.Int32, "bool", WasmType.Conversion.Boolean),
        new(typeof(long), ValueKind.Int64, "long", WasmType.Conversion.Bits),
        new(typeof(ulong), ValueKind.Int64, "ulong", WasmType.Conversion.Bits),
        new(typeof(float), ValueKind.Float32, "float", WasmType.Conversion.Bits),
        new(typeof(double), ValueKind.Float64, "double", WasmType.Conversion.Bits),
    };

    private static readonly WasmType s_buffer = new(typeof(IGuestBlock), ValueKind.Int32, "WasmBuffer<T>", WasmType.Conversion.Address);

    /// <summary>Gets every scalar row, in the order messages and docs list them.</summary>
    public static IReadOnlyList<WasmType> Scalars => s_scalars;

    /// <summary>Gets the scalar types as messages list them: <c>sbyte, byte, …, float or double</c>.</summary>
    public static string ScalarNames { get; } =
        string.Join(", ", s_scalars.Take(s_scalars.Length - 1).Select(t => t.Name)) + " or " + s_scalars[s_scalars.Length - 1].Name;

    /// <summary>Returns the row of <paramref name="type"/>: a scalar's, the buffer row for any <see cref="WasmBuffer{T}"/>, or null.</summary>
    public static WasmType? Find(Type type)
    {
        foreach (WasmType row in s_scalars)
        {
            if (row.Type == type)
            {
                return row;
            }
        }

        return typeof(IGuestBlock).IsAssignableFrom(type) ? s_buffer : null;
    }

    /// <summary>Returns the wasm value <paramref name="type"/> crosses as.</summary>
    /// <exception cref="NotSupportedException"><paramref name="type"/> does not cross.</exception>
    public static ValueKind KindOf(Type type) =>
        Find(type)?.Kind ?? throw new NotSupportedException($"Type {type.Name} cannot cross into WebAssembly; use {ScalarNames}.");

    /// <summary>Formats a wasm value as WAT spells it: <c>i32</c>, <c>f64</c>.</summary>
    public static string Name(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => "i32",
        ValueKind.Int64 => "i64",
        ValueKind.Float32 => "f32",
        ValueKind.Float64 => "f64",
        ValueKind.V128 => "v128",
        _ => kind.ToString(),
    };

    /// <summary>Formats a signature as messages show it: <c>(i32, f32) -> i32</c>, <c>() -> ()</c>, <c>(i32) -> (i32, i32)</c>.</summary>
    public static string Format(IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results) =>
        $"({string.Join(", ", parameters.Select(Name))}) -> " + (results.Count == 1 ? Name(results[0]) : $"({string.Join(", ", results.Select(Name))})");
}
