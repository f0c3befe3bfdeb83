using System.Runtime.CompilerServices;
using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>Stands for a parameter or result that a delegate of lower arity does not have.</summary>
internal readonly struct None
{
}

/// <summary>
/// How values of <typeparamref name="T"/> cross, as its <see cref="WasmTypes"/> row says: written into and read from
/// a raw slot for exports, boxed and unboxed through <see cref="RawValues"/> for imports and the public call path.
/// </summary>
/// <remarks>
/// The row's facts are static readonly fields of a generic class, so the JIT folds every branch below to the one
/// that applies to a value type <typeparamref name="T"/>: a call converts its values with no lookup and no
/// allocation. Reference types share one compiled body, where static fields are looked up at run time; the only
/// reference types that cross are buffers, so they are told apart by <c>typeof(T).IsValueType</c>, which folds there too.
/// </remarks>
internal static class WasmValue<T>
{
    private static readonly WasmType? s_type = WasmTypes.Find(typeof(T));
    private static readonly WasmType.Conversion s_how = s_type?.How ?? WasmType.Conversion.None;

    /// <summary>Gets the wasm value <typeparamref name="T"/> crosses as, or null for <see cref="None"/> and types that do not cross.</summary>
    public static readonly ValueKind? Kind = s_type?.Kind;

    /// <summary>Checks a buffer argument of <paramref name="export"/> under the gate; nothing for scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(GuestInstance guest, T value, string paramName, string export)
    {
        if (!typeof(T).IsValueType)
        {
            Operands.CheckArgument(guest, (IGuestBlock?)(object?)value, paramName, export);
        }
    }

    /// <summary>Writes <paramref name="value"/> into a raw slot as its wasm value; nothing for <see cref="None"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(T value, ref RawValue slot)
    {
        if (!typeof(T).IsValueType)
        {
            slot.I32 = unchecked((int)((IGuestBlock)(object)value!).BlockAddress);
            return;
        }

        switch (s_how)
        {
            case WasmType.Conversion.Bits:
                // Every scalar member of the union sits at offset 0.
                Unsafe.As<RawValue, T>(ref slot) = value;
                break;
            case WasmType.Conversion.SignExtend:
                slot.I32 = Unsafe.SizeOf<T>() == 1 ? Unsafe.As<T, sbyte>(ref value) : Unsafe.As<T, short>(ref value);
                break;
            case WasmType.Conversion.ZeroExtend:
                slot.I32 = Unsafe.SizeOf<T>() == 1 ? Unsafe.As<T, byte>(ref value) : Unsafe.As<T, ushort>(ref value);
                break;
            case WasmType.Conversion.Boolean:
                // A bool's byte may hold any non-zero value (set through Unsafe); the guest sees exactly 1.
                slot.I32 = Unsafe.As<T, byte>(ref value) != 0 ? 1 : 0;
                break;
        }
    }

    /// <summary>Reads a value of type <typeparamref name="T"/> from a raw slot, as C converts the wasm value to the C type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read(ref RawValue slot)
    {
        if (!typeof(T).IsValueType)
        {
            return default!;
        }

        switch (s_how)
        {
            case WasmType.Conversion.Bits:
            case WasmType.Conversion.SignExtend:
            case WasmType.Conversion.ZeroExtend:
                // The low bytes of the slot: narrow types keep the low bits of the i32, as a C cast does.
                // Wasmtime keeps raw values little-endian on every host.
                return Unsafe.As<RawValue, T>(ref slot);
            case WasmType.Conversion.Boolean:
                bool value = slot.I32 != 0;
                return Unsafe.As<bool, T>(ref value);
            default:
                return default!;
        }
    }
}
