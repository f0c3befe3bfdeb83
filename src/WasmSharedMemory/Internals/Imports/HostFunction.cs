using System;
using System.Collections.Generic;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// A user's callback with .NET parameter types <typeparamref name="T1"/> to <typeparamref name="T5"/> and result
/// <typeparamref name="TResult"/> (<see cref="None"/> where the delegate has fewer): the one core behind every
/// <see cref="WasmImports"/> <c>Define</c> overload. <typeparamref name="T1"/> may be <see cref="GuestMemory"/>,
/// which receives the calling module's memory and takes no wasm parameter.
/// </summary>
internal sealed class HostFunction<T1, T2, T3, T4, T5, TResult> : IHostFunction
{
    private readonly Func<T1, T2, T3, T4, T5, TResult> _callback;

    /// <summary>Wraps <paramref name="callback"/> after checking that every type can cross from WebAssembly.</summary>
    /// <exception cref="NotSupportedException">A parameter or the result has a type that cannot cross.</exception>
    public HostFunction(Func<T1, T2, T3, T4, T5, TResult> callback)
    {
        _callback = callback;
        Signature = CreateSignature();
    }

    public WasmSignature Signature { get; }

    public void Invoke(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        int next = 0;
        T1 a1 = HostValue<T1>.Take(scope, arguments, ref next);
        T2 a2 = HostValue<T2>.Take(scope, arguments, ref next);
        T3 a3 = HostValue<T3>.Take(scope, arguments, ref next);
        T4 a4 = HostValue<T4>.Take(scope, arguments, ref next);
        T5 a5 = HostValue<T5>.Take(scope, arguments, ref next);
        TResult result = _callback(a1, a2, a3, a4, a5);

        // No slot when the import returns nothing, or the result's type cannot cross: a Func's result is then dropped.
        if (HostValue<TResult>.Kind is not null && results.Length != 0)
        {
            results[0] = HostValue<TResult>.Box(result);
        }
    }

    private static WasmSignature CreateSignature()
    {
        Type[] types = { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5) };
        ValueKind?[] kinds = { HostValue<T1>.Kind, HostValue<T2>.Kind, HostValue<T3>.Kind, HostValue<T4>.Kind, HostValue<T5>.Kind };
        var parameters = new List<ValueKind>();
        for (int i = 0; i < types.Length; i++)
        {
            if (kinds[i] is { } kind)
            {
                parameters.Add(kind);
            }
            else if (types[i] == typeof(GuestMemory) ? i != 0 : types[i] != typeof(None))
            {
                throw new NotSupportedException(
                    $"Parameter type {types[i].Name} cannot cross from WebAssembly into a host function; use int, long, float or double, after an optional leading GuestMemory.");
            }
        }

        if (parameters.Count > 4)
        {
            throw new NotSupportedException("A host function takes at most 4 int, long, float or double parameters, after an optional leading GuestMemory.");
        }

        return new WasmSignature(parameters.ToArray(), HostValue<TResult>.Kind);
    }
}
