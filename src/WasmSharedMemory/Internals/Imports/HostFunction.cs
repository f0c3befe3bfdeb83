using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// A user's callback with .NET parameter types <typeparamref name="T1"/> to <typeparamref name="T9"/> and result
/// <typeparamref name="TResult"/> (<see cref="None"/> where the delegate has fewer): the one core behind every
/// <see cref="WasmImports"/> <c>Define</c> overload. <typeparamref name="T1"/> may be <see cref="GuestMemory"/>,
/// which receives the calling module's memory and takes no wasm parameter; so only then may there be nine.
/// </summary>
/// <remarks>
/// A <see cref="WasmBuffer{T}"/> is no parameter here: the guest passes an address, not a buffer the host owns, and
/// a handle made up for it would free memory the guest still uses. A callback reads the guest's memory through a
/// leading <see cref="GuestMemory"/> and the address as an <see cref="int"/> or <see cref="uint"/>.
/// </remarks>
internal sealed class HostFunction<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> : IHostFunction
{
    private static readonly Type[] s_parameterTypes =
        { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7), typeof(T8), typeof(T9) };

    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> _callback;

    /// <summary>Wraps <paramref name="callback"/> after checking that every type can cross from WebAssembly.</summary>
    /// <exception cref="NotSupportedException">A parameter has a type that cannot cross, or there are too many.</exception>
    public HostFunction(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> callback)
    {
        _callback = callback;
        Signature = WasmSignature.Of(s_parameterTypes, typeof(TResult), WasmSignature.Side.Import);
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
        T6 a6 = HostValue<T6>.Take(scope, arguments, ref next);
        T7 a7 = HostValue<T7>.Take(scope, arguments, ref next);
        T8 a8 = HostValue<T8>.Take(scope, arguments, ref next);
        T9 a9 = HostValue<T9>.Take(scope, arguments, ref next);
        TResult result = _callback(a1, a2, a3, a4, a5, a6, a7, a8, a9);

        // No slot when the import returns nothing, or the result's type cannot cross: a Func's result is then dropped.
        if (Signature.Result is not null && results.Length != 0)
        {
            results[0] = HostValue<TResult>.Box(result);
        }
    }
}
