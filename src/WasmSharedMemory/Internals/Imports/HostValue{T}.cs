using System;
using System.Runtime.CompilerServices;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// How a .NET type crosses from a module into a host function: <see cref="int"/>, <see cref="long"/>,
/// <see cref="float"/> and <see cref="double"/> as themselves, <see cref="GuestMemory"/> as the calling module's
/// memory (taking no wasm parameter), and <see cref="None"/> not at all.
/// </summary>
internal static class HostValue<T>
{
    /// <summary>Gets the wasm kind of <typeparamref name="T"/>, or null for <see cref="GuestMemory"/> and <see cref="None"/>.</summary>
    public static readonly ValueKind? Kind = KindOf();

    /// <summary>Gets a value indicating whether <typeparamref name="T"/> is the calling module's memory.</summary>
    public static readonly bool IsMemory = typeof(T) == typeof(GuestMemory);

    /// <summary>Gets a value indicating whether <typeparamref name="T"/> stands for an absent parameter or result.</summary>
    public static readonly bool IsNone = typeof(T) == typeof(None);

    /// <summary>Returns the next argument as <typeparamref name="T"/>, advancing <paramref name="next"/> past the wasm values it took.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Take(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, ref int next)
    {
        if (IsNone)
        {
            return default!;
        }

        if (IsMemory)
        {
            return (T)(object)scope.Memory;
        }

        ValueBox box = arguments[next++];
        if (typeof(T) == typeof(int))
        {
            int value = box.AsInt32();
            return Unsafe.As<int, T>(ref value);
        }

        if (typeof(T) == typeof(long))
        {
            long value = box.AsInt64();
            return Unsafe.As<long, T>(ref value);
        }

        if (typeof(T) == typeof(float))
        {
            float value = box.AsSingle();
            return Unsafe.As<float, T>(ref value);
        }

        double result = box.AsDouble();
        return Unsafe.As<double, T>(ref result);
    }

    /// <summary>Boxes a result of type <typeparamref name="T"/> for Wasmtime.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueBox Box(T value) =>
        typeof(T) == typeof(int) ? Unsafe.As<T, int>(ref value)
        : typeof(T) == typeof(long) ? Unsafe.As<T, long>(ref value)
        : typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value)
        : (ValueBox)Unsafe.As<T, double>(ref value);

    // The scalar kinds exports use; a host function takes no buffers.
    private static ValueKind? KindOf() => WasmValue<T>.IsBuffer ? null : WasmValue<T>.Kind;
}
