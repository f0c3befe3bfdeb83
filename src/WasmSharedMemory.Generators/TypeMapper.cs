using Microsoft.CodeAnalysis;

namespace WasmSharedMemory.Generators;

/// <summary>Maps a parameter's or result's .NET type to how it crosses into wasm, or says why it cannot.</summary>
internal static class TypeMapper
{
    private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Formats <paramref name="type"/> as generated code spells it: fully qualified, with its nullability.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(s_fullyQualified);

    /// <summary>Maps an export's parameter; null with <paramref name="reason"/> when it cannot cross.</summary>
    public static ValueModel? ExportParameter(IParameterSymbol parameter, bool isLast, out string reason)
    {
        string name = Escape(parameter.Name);
        ITypeSymbol type = parameter.Type;
        reason = string.Empty;
        if (parameter.RefKind is RefKind.Out or RefKind.Ref or RefKind.In)
        {
            if (!type.IsUnmanagedType || type.TypeKind == TypeKind.Pointer)
            {
                reason = "an out, ref or in parameter must be of an unmanaged type (a scalar or a struct of scalars)";
                return null;
            }

            Marshal byRef = parameter.RefKind switch { RefKind.Out => Marshal.Out, RefKind.Ref => Marshal.Ref, _ => Marshal.In };
            return new ValueModel(name, Display(type), byRef, Generators.Scalar.None, null, Display(type), "i32");
        }

        if (parameter.RefKind != RefKind.None)
        {
            reason = "only out, ref and in are supported";
            return null;
        }

        if (IsNamed(type, "System.Threading.CancellationToken"))
        {
            if (!isLast)
            {
                reason = "a CancellationToken must be the last parameter";
                return null;
            }

            return new ValueModel(name, Display(type), Marshal.Cancellation, Generators.Scalar.None, null, null, string.Empty);
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return new ValueModel(name, Display(type), Marshal.String, Generators.Scalar.None, null, null, "i32");
        }

        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            if (!array.ElementType.IsUnmanagedType || array.ElementType.TypeKind is TypeKind.TypeParameter or TypeKind.Pointer)
            {
                reason = "the element type must be an unmanaged type";
                return null;
            }

            return new ValueModel(name, Display(type), Marshal.ReadOnlySpan, Generators.Scalar.None, null, Display(array.ElementType), "i32") { IsArray = true };
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic)
        {
            ITypeSymbol element = generic.TypeArguments[0];
            string definition = generic.ConstructedFrom.ToDisplayString();
            Marshal? marshal = definition switch
            {
                "WasmSharedMemory.WasmBuffer<T>" => Marshal.Buffer,
                "System.ReadOnlySpan<T>" => Marshal.ReadOnlySpan,
                "System.Span<T>" => Marshal.Span,
                _ => null,
            };
            if (marshal is { } kind)
            {
                if (!element.IsUnmanagedType || element.TypeKind == TypeKind.TypeParameter)
                {
                    reason = "the element type must be an unmanaged type";
                    return null;
                }

                return new ValueModel(name, Display(type), kind, Generators.Scalar.None, null, Display(element), "i32");
            }
        }

        return ScalarOf(name, type, out reason);
    }

    /// <summary>Maps an import's parameter: a scalar, or a leading <c>GuestMemory</c>.</summary>
    public static ValueModel? ImportParameter(IParameterSymbol parameter, bool isFirst, out string reason)
    {
        string name = Escape(parameter.Name);
        reason = string.Empty;
        if (parameter.RefKind != RefKind.None)
        {
            reason = "an import's parameters are passed by value";
            return null;
        }

        if (IsNamed(parameter.Type, "WasmSharedMemory.GuestMemory"))
        {
            if (!isFirst)
            {
                reason = "a GuestMemory must be the first parameter";
                return null;
            }

            return new ValueModel(name, Display(parameter.Type), Marshal.Memory, Generators.Scalar.None, null, null, string.Empty);
        }

        ValueModel? scalar = ScalarOf(name, parameter.Type, out reason);
        if (scalar is null)
        {
            reason = "an import takes sbyte, byte, short, ushort, int, uint, bool, long, ulong, float, double or enums of those, after an optional leading GuestMemory";
        }

        return scalar;
    }

    /// <summary>Maps a result: void (null model, true), a scalar, or, for exports, <c>string?</c>.</summary>
    public static bool Result(ITypeSymbol type, bool allowString, out ValueModel? model, out string reason) =>
        Result(type, allowString, allowArray: false, out model, out reason);

    /// <summary>Maps a result, and with <paramref name="allowArray"/> (wasm-bindgen's convention) a <c>T[]</c> of an unmanaged type.</summary>
    public static bool Result(ITypeSymbol type, bool allowString, bool allowArray, out ValueModel? model, out string reason)
    {
        model = null;
        reason = string.Empty;
        if (type.SpecialType == SpecialType.System_Void)
        {
            return true;
        }

        if (allowArray && type is IArrayTypeSymbol { Rank: 1 } array && array.ElementType.IsUnmanagedType && array.ElementType.TypeKind is not (TypeKind.TypeParameter or TypeKind.Pointer))
        {
            model = new ValueModel(string.Empty, Display(type), Marshal.Array, Generators.Scalar.None, null, Display(array.ElementType), "i32");
            return true;
        }

        if (allowString && type.SpecialType == SpecialType.System_String)
        {
            model = new ValueModel(string.Empty, Display(type), Marshal.String, Generators.Scalar.None, null, null, "i32");
            return true;
        }

        model = ScalarOf(string.Empty, type, out reason);
        if (model is null)
        {
            reason = allowArray
                ? "under wasm-bindgen's convention an export returns void, sbyte, byte, short, ushort, int, uint, bool, long, ulong, float, double, enums of those, string (a String through the return area) or an array of an unmanaged type (a Vec through the return area)"
                : allowString
                ? "an export returns void, sbyte, byte, short, ushort, int, uint, bool, long, ulong, float, double, enums of those, or string? (a zero-terminated UTF-8 string the module owns)"
                : "an import returns void, sbyte, byte, short, ushort, int, uint, bool, long, ulong, float, double or enums of those";
        }

        return model is not null;
    }

    private static ValueModel? ScalarOf(string name, ITypeSymbol type, out string reason)
    {
        reason = "use sbyte, byte, short, ushort, int, uint, bool, long, ulong, float, double, an enum of those, WasmBuffer<T>, string, ReadOnlySpan<T>, Span<T>, an array, or out/ref/in of an unmanaged type";
        string? enumType = null;
        ITypeSymbol underlying = type;
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } enumUnderlying })
        {
            enumType = Display(type);
            underlying = enumUnderlying;
        }

        Scalar scalar = underlying.SpecialType switch
        {
            SpecialType.System_SByte => Generators.Scalar.SByte,
            SpecialType.System_Byte => Generators.Scalar.Byte,
            SpecialType.System_Int16 => Generators.Scalar.Int16,
            SpecialType.System_UInt16 => Generators.Scalar.UInt16,
            SpecialType.System_Int32 => Generators.Scalar.Int32,
            SpecialType.System_UInt32 => Generators.Scalar.UInt32,
            SpecialType.System_Boolean when enumType is null => Generators.Scalar.Bool,
            SpecialType.System_Int64 => Generators.Scalar.Int64,
            SpecialType.System_UInt64 => Generators.Scalar.UInt64,
            SpecialType.System_Single when enumType is null => Generators.Scalar.Float32,
            SpecialType.System_Double when enumType is null => Generators.Scalar.Float64,
            _ => Generators.Scalar.None,
        };
        if (scalar == Generators.Scalar.None)
        {
            return null;
        }

        return new ValueModel(name, Display(type), Marshal.Scalar, scalar, enumType, null, WasmKind(scalar));
    }

    /// <summary>Gets the wasm kind a scalar crosses as.</summary>
    public static string WasmKind(Scalar scalar) => scalar switch
    {
        Generators.Scalar.Int64 or Generators.Scalar.UInt64 => "i64",
        Generators.Scalar.Float32 => "f32",
        Generators.Scalar.Float64 => "f64",
        _ => "i32",
    };

    private static bool IsNamed(ITypeSymbol type, string fullName) => type.ToDisplayString() == fullName;

    /// <summary>Escapes a name that is a C# keyword.</summary>
    public static string Escape(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;
}
