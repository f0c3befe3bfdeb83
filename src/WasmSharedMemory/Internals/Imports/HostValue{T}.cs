using System;
using System.Runtime.CompilerServices;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// How a .NET type crosses from a module into a host function: a scalar as <see cref="WasmValue{T}"/> converts it,
/// <see cref="GuestMemory"/> as the calling module's memory (taking no wasm parameter), and <see cref="None"/> not at all.
/// </summary>
internal static class HostValue<T>
{
    private static readonly bool s_isMemory = typeof(T) == typeof(GuestMemory);

    /// <summary>Returns the next argument as <typeparamref name="T"/>, advancing <paramref name="next"/> past the wasm value it took.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Take(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, ref int next)
    {
        if (WasmValue<T>.Kind is not { } kind)
        {
            return s_isMemory ? (T)(object)scope.Memory : default!;
        }

        RawValue slot = default;
        RawValues.Unbox(kind, arguments[next++], ref slot);
        return WasmValue<T>.Read(ref slot);
    }

    /// <summary>Boxes a result of type <typeparamref name="T"/> for Wasmtime.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueBox Box(T value)
    {
        RawValue slot = default;
        WasmValue<T>.Write(value, ref slot);
        return RawValues.Box(WasmValue<T>.Kind!.Value, slot);
    }
}
