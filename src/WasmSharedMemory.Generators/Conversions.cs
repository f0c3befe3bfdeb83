namespace WasmSharedMemory.Generators;

/// <summary>The C# expressions that turn a .NET scalar into its wasm value and back, as C's ABI widens and narrows them.</summary>
internal static class Conversions
{
    /// <summary>Converts <paramref name="expression"/> of <paramref name="value"/>'s type to its wasm value's C# type.</summary>
    public static string ToWasm(string expression, ValueModel value)
    {
        string e = value.EnumType is null ? expression : $"(({Keyword(value.Scalar)}){expression})";
        return value.Scalar switch
        {
            Scalar.UInt32 => $"unchecked((int){e})",
            Scalar.SByte or Scalar.Byte or Scalar.Int16 or Scalar.UInt16 => $"(int){e}",
            Scalar.Bool => $"({e} ? 1 : 0)",
            Scalar.UInt64 => $"unchecked((long){e})",
            _ => e,
        };
    }

    /// <summary>Converts <paramref name="expression"/>, a wasm value, to <paramref name="value"/>'s type.</summary>
    public static string FromWasm(string expression, ValueModel value)
    {
        string e = value.Scalar switch
        {
            Scalar.UInt32 => $"unchecked((uint){expression})",
            Scalar.SByte => $"unchecked((sbyte){expression})",
            Scalar.Byte => $"unchecked((byte){expression})",
            Scalar.Int16 => $"unchecked((short){expression})",
            Scalar.UInt16 => $"unchecked((ushort){expression})",
            Scalar.Bool => $"({expression} != 0)",
            Scalar.UInt64 => $"unchecked((ulong){expression})",
            _ => expression,
        };
        return value.EnumType is null ? e : $"(({value.EnumType}){e})";
    }

    /// <summary>Gets the frame member that reads a result or import argument of wasm kind <paramref name="wasm"/>.</summary>
    public static string Reader(string wasm) => wasm switch
    {
        "i64" => "Int64",
        "f32" => "Float32",
        "f64" => "Float64",
        _ => "Int32",
    };

    private static string Keyword(Scalar scalar) => scalar switch
    {
        Scalar.SByte => "sbyte",
        Scalar.Byte => "byte",
        Scalar.Int16 => "short",
        Scalar.UInt16 => "ushort",
        Scalar.UInt32 => "uint",
        Scalar.Int64 => "long",
        Scalar.UInt64 => "ulong",
        _ => "int",
    };
}
