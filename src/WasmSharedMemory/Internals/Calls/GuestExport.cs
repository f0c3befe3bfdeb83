using System;
using System.Linq;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// A user's export bound with .NET parameter types <typeparamref name="T1"/> to <typeparamref name="T4"/> and result
/// <typeparamref name="TResult"/> (<see cref="None"/> where the delegate has fewer): the one core behind every
/// <c>WasmHost.GetAction</c> and <c>GetFunction</c> overload.
/// </summary>
internal sealed class GuestExport<T1, T2, T3, T4, TResult>
{
    // What the delegate calls its parameters (Action<T>.Invoke(obj), Func<T, TResult>.Invoke(arg), otherwise arg1 to
    // arg4), so a refused buffer argument's exception names the parameter the caller passed it as.
    private static readonly string[] s_parameterNames = ParameterNames();

    private readonly GuestInstance _guest;
    private readonly GuestFunction _function;
    private readonly CancellationToken _cancellationToken;

    public GuestExport(GuestInstance guest, string name, CancellationToken cancellationToken) =>
        (_guest, _cancellationToken, _function) = (guest, cancellationToken, guest.Bind(name, Signature()));

    /// <summary>Calls the export through the guarded path; unused arguments are <see cref="None"/>.</summary>
    public TResult Call(T1 a1, T2 a2, T3 a3, T4 a4)
    {
        var call = new ExportCall(this, a1, a2, a3, a4);
        return _guest.Call<ExportCall, TResult>(ref call);
    }

    private static string[] ParameterNames()
    {
        bool[] present = { typeof(T1) != typeof(None), typeof(T2) != typeof(None), typeof(T3) != typeof(None), typeof(T4) != typeof(None) };
        if (present.Count(p => p) == 1)
        {
            string single = typeof(TResult) == typeof(None) ? "obj" : "arg";
            return new[] { single, single, single, single };
        }

        return new[] { "arg1", "arg2", "arg3", "arg4" };
    }

    private static WasmSignature Signature()
    {
        Type[] types = { typeof(T1), typeof(T2), typeof(T3), typeof(T4) };
        ValueKind?[] kinds = { WasmValue<T1>.Kind, WasmValue<T2>.Kind, WasmValue<T3>.Kind, WasmValue<T4>.Kind };
        bool[] supported = { WasmValue<T1>.IsSupported, WasmValue<T2>.IsSupported, WasmValue<T3>.IsSupported, WasmValue<T4>.IsSupported };
        for (int i = 0; i < types.Length; i++)
        {
            if (!supported[i])
            {
                throw new NotSupportedException($"Parameter type {types[i].Name} cannot cross into WebAssembly; use int, long, float, double or a WasmBuffer<T>.");
            }
        }

        if (!WasmValue<TResult>.IsSupported || WasmValue<TResult>.IsBuffer)
        {
            throw new NotSupportedException($"Result type {typeof(TResult).Name} cannot come back from WebAssembly; use int, long, float or double.");
        }

        return new WasmSignature(kinds.Where(k => k is not null).Select(k => k!.Value).ToArray(), WasmValue<TResult>.Kind);
    }

    private readonly struct ExportCall : IGuestCall<TResult>
    {
        private readonly GuestExport<T1, T2, T3, T4, TResult> _export;
        private readonly T1 _a1;
        private readonly T2 _a2;
        private readonly T3 _a3;
        private readonly T4 _a4;

        public ExportCall(GuestExport<T1, T2, T3, T4, TResult> export, T1 a1, T2 a2, T3 a3, T4 a4) =>
            (_export, _a1, _a2, _a3, _a4) = (export, a1, a2, a3, a4);

        public string Export => _export._function.Name;

        public CancellationToken CancellationToken => _export._cancellationToken;

        public bool Prepare(GuestInstance guest, out TResult result)
        {
            result = default!;
            string export = _export._function.Name;
            string[] names = s_parameterNames;
            WasmValue<T1>.Check(guest, _a1, names[0], export);
            WasmValue<T2>.Check(guest, _a2, names[1], export);
            WasmValue<T3>.Check(guest, _a3, names[2], export);
            WasmValue<T4>.Check(guest, _a4, names[3], export);
            return true;
        }

        public TResult Invoke(GuestInstance guest)
        {
            Span<RawValue> slots = stackalloc RawValue[4];
            WasmValue<T1>.Write(_a1, ref slots[0]);
            WasmValue<T2>.Write(_a2, ref slots[1]);
            WasmValue<T3>.Write(_a3, ref slots[2]);
            WasmValue<T4>.Write(_a4, ref slots[3]);
            _export._function.Invoke(slots);
            return WasmValue<TResult>.Read(ref slots[0]);
        }
    }
}
