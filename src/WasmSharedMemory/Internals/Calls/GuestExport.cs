using System;
using System.Threading;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// A user's export bound with .NET parameter types <typeparamref name="T1"/> to <typeparamref name="T8"/> and result
/// <typeparamref name="TResult"/> (<see cref="None"/> where the delegate has fewer): the one core behind every
/// <c>WasmHost.GetAction</c> and <c>GetFunction</c> overload.
/// </summary>
internal sealed class GuestExport<T1, T2, T3, T4, T5, T6, T7, T8, TResult>
{
    private static readonly Type[] s_parameterTypes = { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7), typeof(T8) };

    // What the delegate calls its parameters (Action<T>.Invoke(obj), Func<T, TResult>.Invoke(arg), otherwise arg1 to
    // arg8), so a refused buffer argument's exception names the parameter the caller passed it as.
    private static readonly string[] s_parameterNames = ParameterNames();

    private readonly GuestInstance _guest;
    private readonly GuestFunction _function;
    private readonly CancellationToken _cancellationToken;

    public GuestExport(GuestInstance guest, string name, CancellationToken cancellationToken) =>
        (_guest, _cancellationToken, _function) = (guest, cancellationToken, guest.Bind(name, WasmSignature.Of(s_parameterTypes, typeof(TResult), WasmSignature.Side.Export)));

    /// <summary>Calls the export through the guarded path; unused arguments are <see cref="None"/>.</summary>
    public TResult Call(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
    {
        var call = new ExportCall(this, new Arguments(a1, a2, a3, a4, a5, a6, a7, a8));
        return _guest.Call<ExportCall, TResult>(ref call);
    }

    private static string[] ParameterNames()
    {
        int count = Array.FindAll(s_parameterTypes, t => t != typeof(None)).Length;
        var names = new string[s_parameterTypes.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = count != 1 ? $"arg{i + 1}" : typeof(TResult) == typeof(None) ? "obj" : "arg";
        }

        return names;
    }

    private readonly struct Arguments
    {
        public readonly T1 A1;
        public readonly T2 A2;
        public readonly T3 A3;
        public readonly T4 A4;
        public readonly T5 A5;
        public readonly T6 A6;
        public readonly T7 A7;
        public readonly T8 A8;

        public Arguments(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) =>
            (A1, A2, A3, A4, A5, A6, A7, A8) = (a1, a2, a3, a4, a5, a6, a7, a8);
    }

    private readonly struct ExportCall : IGuestCall<TResult>
    {
        private readonly GuestExport<T1, T2, T3, T4, T5, T6, T7, T8, TResult> _export;
        private readonly Arguments _a;

        public ExportCall(GuestExport<T1, T2, T3, T4, T5, T6, T7, T8, TResult> export, in Arguments arguments) =>
            (_export, _a) = (export, arguments);

        public string Export => _export._function.Name;

        public CancellationToken CancellationToken => _export._cancellationToken;

        public bool Prepare(GuestInstance guest, out TResult result)
        {
            result = default!;
            string export = _export._function.Name;
            string[] names = s_parameterNames;
            WasmValue<T1>.Check(guest, _a.A1, names[0], export);
            WasmValue<T2>.Check(guest, _a.A2, names[1], export);
            WasmValue<T3>.Check(guest, _a.A3, names[2], export);
            WasmValue<T4>.Check(guest, _a.A4, names[3], export);
            WasmValue<T5>.Check(guest, _a.A5, names[4], export);
            WasmValue<T6>.Check(guest, _a.A6, names[5], export);
            WasmValue<T7>.Check(guest, _a.A7, names[6], export);
            WasmValue<T8>.Check(guest, _a.A8, names[7], export);
            return true;
        }

        public TResult Invoke(GuestInstance guest)
        {
            // Unused trailing slots stay as they are: the call reads only as many as the signature has.
            Span<RawValue> slots = stackalloc RawValue[WasmSignature.MaxParameters];
            WasmValue<T1>.Write(_a.A1, ref slots[0]);
            WasmValue<T2>.Write(_a.A2, ref slots[1]);
            WasmValue<T3>.Write(_a.A3, ref slots[2]);
            WasmValue<T4>.Write(_a.A4, ref slots[3]);
            WasmValue<T5>.Write(_a.A5, ref slots[4]);
            WasmValue<T6>.Write(_a.A6, ref slots[5]);
            WasmValue<T7>.Write(_a.A7, ref slots[6]);
            WasmValue<T8>.Write(_a.A8, ref slots[7]);
            _export._function.Invoke(slots);
            return WasmValue<TResult>.Read(ref slots[0]);
        }
    }
}
