#if NET5_0_OR_GREATER
using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Calls one <c>(i32, i32, i32, i32) -> ()</c> export through Wasmtime's C entry point
/// <c>wasmtime_func_call_unchecked</c> with the store context and function handle read once, instead of through
/// Wasmtime.Dotnet's typed delegate.
/// </summary>
/// <remarks>
/// <para>
/// The typed delegate pays, on every call, for a closure, four interface calls that box the arguments, a
/// disposed check on the store and a second wrapper around the P/Invoke; for a short kernel that is a large part
/// of the call (docs/benchmarks.md). This class makes the same native call with the same arguments and turns a
/// trap or error into the same exception, through Wasmtime.Dotnet's own factories.
/// </para>
/// <para>
/// It reads two non-public fields of Wasmtime.Dotnet (the store's context pointer and the function's
/// <c>wasmtime_func_t</c>) and two of its non-public exception factories. <see cref="TryCreate"/> checks every one
/// of them by name and type and returns null when anything differs, so another Wasmtime.Dotnet version falls back
/// to the typed delegate rather than misbehaving. Callers must serialize calls on the store and keep it undisposed,
/// as for any call into it; <see cref="GuestInstance"/> does both.
/// </para>
/// </remarks>
internal sealed unsafe class DirectCall
{
    private const string CallExport = "wasmtime_func_call_unchecked";

    private static readonly Lazy<Shared?> s_shared = new(Shared.TryCreate);

    private readonly Store _store;
    private readonly nint _context;
    private readonly WasmtimeFunc _func;
    private readonly delegate* unmanaged<nint, WasmtimeFunc*, RawValue*, nuint, nint*, nint> _call;
    private readonly Shared _shared;

    private DirectCall(Store store, nint context, WasmtimeFunc func, Shared shared)
    {
        _store = store;
        _context = context;
        _func = func;
        _shared = shared;
        _call = shared.Call;
    }

    /// <summary>Returns a direct call to <paramref name="function"/>, or null when this Wasmtime.Dotnet's internals are not the ones this class reads.</summary>
    /// <param name="store">The store <paramref name="function"/> belongs to.</param>
    /// <param name="function">An export already checked to have the signature <c>(i32, i32, i32, i32) -> ()</c>.</param>
    public static DirectCall? TryCreate(Store store, Function function)
    {
        if (s_shared.Value is not { } shared
            || shared.StoreContext.GetValue(store) is not nint context
            || context == 0
            || shared.FunctionHandle.GetValue(function) is not { } handle
            || shared.HandleStoreId.GetValue(handle) is not ulong storeId
            || shared.HandlePrivate.GetValue(handle) is not nint priv)
        {
            return null;
        }

        return new DirectCall(store, context, new WasmtimeFunc { StoreId = storeId, Private = priv }, shared);
    }

    /// <summary>Calls the export with four i32 arguments.</summary>
    /// <exception cref="WasmtimeException">The call trapped (a <see cref="TrapException"/>) or failed.</exception>
    public void Invoke(int arg0, int arg1, int arg2, int arg3)
    {
        RawValue* args = stackalloc RawValue[4];
        args[0].I32 = arg0;
        args[1].I32 = arg1;
        args[2].I32 = arg2;
        args[3].I32 = arg3;
        WasmtimeFunc func = _func;
        nint trap = 0;
        nint error = _call(_context, &func, args, 4, &trap);

        // The store owns the context pointer: it must outlive the native call.
        GC.KeepAlive(_store);
        if ((error | trap) != 0)
        {
            throw _shared.ToException(error, trap);
        }
    }

    /// <summary>C's <c>wasmtime_func_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct WasmtimeFunc
    {
        public ulong StoreId;
        public nint Private;
    }

    /// <summary>C's <c>wasmtime_val_raw_t</c>: a 16-byte union; an i32 sits in its first four bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    private struct RawValue
    {
        [FieldOffset(0)]
        public int I32;
    }

    /// <summary>What every direct call needs of Wasmtime.Dotnet, looked up once per process.</summary>
    private sealed class Shared
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        private const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

        private readonly Func<nint, WasmtimeException> _fromOwnedError;
        private readonly Func<nint, bool, TrapException> _fromOwnedTrap;

        private Shared(
            FieldInfo storeContext,
            FieldInfo functionHandle,
            FieldInfo handleStoreId,
            FieldInfo handlePrivate,
            Func<nint, WasmtimeException> fromOwnedError,
            Func<nint, bool, TrapException> fromOwnedTrap,
            delegate* unmanaged<nint, WasmtimeFunc*, RawValue*, nuint, nint*, nint> call)
        {
            StoreContext = storeContext;
            FunctionHandle = functionHandle;
            HandleStoreId = handleStoreId;
            HandlePrivate = handlePrivate;
            _fromOwnedError = fromOwnedError;
            _fromOwnedTrap = fromOwnedTrap;
            Call = call;
        }

        public FieldInfo StoreContext { get; }

        public FieldInfo FunctionHandle { get; }

        public FieldInfo HandleStoreId { get; }

        public FieldInfo HandlePrivate { get; }

        public delegate* unmanaged<nint, WasmtimeFunc*, RawValue*, nuint, nint*, nint> Call { get; }

        public static Shared? TryCreate()
        {
            try
            {
                Assembly wasmtime = typeof(Store).Assembly;
                FieldInfo? storeContext = typeof(Store).GetField("contextHandle", Instance);
                FieldInfo? functionHandle = typeof(Function).GetField("func", Instance);
                // Named, not taken from the field's type, so trimming and native AOT keep its fields.
                Type? handleType = Type.GetType("Wasmtime.ExternFunc, Wasmtime.Dotnet", throwOnError: false);
                FieldInfo? storeId = handleType?.GetField("store", Instance);
                FieldInfo? priv = handleType?.GetField("__private", Instance);
                FieldInfo[] handleFields = handleType?.GetFields(Instance).OrderBy(f => f.MetadataToken).ToArray() ?? Array.Empty<FieldInfo>();
                MethodInfo? fromOwnedError = typeof(WasmtimeException).GetMethod("FromOwnedError", Static, null, new[] { typeof(nint) }, null);
                MethodInfo? fromOwnedTrap = typeof(TrapException).GetMethod("FromOwnedTrap", Static, null, new[] { typeof(nint), typeof(bool) }, null);
                if (storeContext?.FieldType != typeof(nint)
                    || handleType is null
                    || functionHandle?.FieldType != handleType
                    || !handleType.IsValueType
                    || !handleType.IsLayoutSequential
                    || handleFields.Length != 2
                    || handleFields[0] != storeId
                    || handleFields[1] != priv
                    || storeId?.FieldType != typeof(ulong)
                    || priv?.FieldType != typeof(nint)
                    || fromOwnedError?.ReturnType != typeof(WasmtimeException)
                    || fromOwnedTrap?.ReturnType != typeof(TrapException)
                    || !NativeLibrary.TryLoad("wasmtime", wasmtime, null, out nint library)
                    || !NativeLibrary.TryGetExport(library, CallExport, out nint call))
                {
                    return null;
                }

                return new Shared(
                    storeContext,
                    functionHandle!,
                    storeId,
                    priv,
                    fromOwnedError.CreateDelegate<Func<nint, WasmtimeException>>(),
                    fromOwnedTrap.CreateDelegate<Func<nint, bool, TrapException>>(),
                    (delegate* unmanaged<nint, WasmtimeFunc*, RawValue*, nuint, nint*, nint>)call);
            }
            catch (Exception)
            {
                // Whatever failed (a member gone, a trimmed or AOT-compiled app without its metadata, no native
                // export), the typed delegate still works: this is an optimisation, never a reason to fail Load.
                return null;
            }
        }

        /// <summary>Takes ownership of a returned error or trap and turns it into Wasmtime.Dotnet's exception for it.</summary>
        public WasmtimeException ToException(nint error, nint trap) =>
            error != 0 ? _fromOwnedError(error) : _fromOwnedTrap(trap, true);
    }
}
#endif
