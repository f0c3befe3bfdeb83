using System;
using System.Runtime.CompilerServices;
using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>Stands for a parameter or result that a delegate of lower arity does not have.</summary>
internal readonly struct None
{
}

/// <summary>
/// How a .NET type crosses into a wasm export: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> and
/// <see cref="double"/> as themselves, a <see cref="WasmBuffer{T}"/> as its <c>i32</c> address after checking it
/// belongs to the instance and is live, and <see cref="None"/> not at all.
/// </summary>
internal static class WasmValue<T>
{
    /// <summary>Gets the wasm kind of <typeparamref name="T"/>, or null for <see cref="None"/>.</summary>
    public static readonly ValueKind? Kind = KindOf();

    /// <summary>Gets a value indicating whether <typeparamref name="T"/> is a buffer type.</summary>
    public static readonly bool IsBuffer = typeof(IGuestBlock).IsAssignableFrom(typeof(T));

    /// <summary>Gets a value indicating whether <typeparamref name="T"/> can cross at all.</summary>
    public static bool IsSupported => Kind is not null || typeof(T) == typeof(None);

    /// <summary>Checks a buffer argument of <paramref name="export"/> under the gate; nothing for scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(GuestInstance guest, T value, string paramName, string export)
    {
        if (IsBuffer)
        {
            Operands.CheckArgument(guest, (IGuestBlock?)(object?)value, paramName, export);
        }
    }

    /// <summary>Writes <paramref name="value"/> into a raw slot; a buffer as its address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(T value, ref RawValue slot)
    {
        if (IsBuffer)
        {
            slot.I32 = unchecked((int)((IGuestBlock)(object)value!).BlockAddress);
        }
        else if (typeof(T) != typeof(None))
        {
            // Every scalar member of the union sits at offset 0.
            Unsafe.As<RawValue, T>(ref slot) = value;
        }
    }

    /// <summary>Reads a result of type <typeparamref name="T"/> from a raw slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read(ref RawValue slot) => typeof(T) == typeof(None) || IsBuffer ? default! : Unsafe.As<RawValue, T>(ref slot);

    private static ValueKind? KindOf()
    {
        Type type = typeof(T);
        return type == typeof(int) ? ValueKind.Int32
            : type == typeof(long) ? ValueKind.Int64
            : type == typeof(float) ? ValueKind.Float32
            : type == typeof(double) ? ValueKind.Float64
            : typeof(IGuestBlock).IsAssignableFrom(type) ? ValueKind.Int32
            : null;
    }
}
