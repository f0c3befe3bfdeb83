using System;
using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>
/// One export of an instance, its signature checked at bind time, called with raw values: through Wasmtime's C
/// entry point when <see cref="NativeBoundary"/> allows it, else through Wasmtime.Dotnet's public
/// <see cref="Function.Invoke(ReadOnlySpan{ValueBox})"/>. Callers hold the instance's gate (<see cref="GuestInstance.Call{TCall, TResult}"/>).
/// </summary>
internal sealed unsafe class GuestFunction
{
    private readonly Store _store;
    private readonly CallLimits _limits;
    private readonly Function _function;
    private readonly WasmSignature _signature;
    private readonly nuint _slots;
    private readonly nint _context;
    private readonly WasmtimeFunc _handle;
    private readonly ValueBox[]? _boxes;

    private GuestFunction(string name, Store store, CallLimits limits, Function function, WasmSignature signature)
    {
        (Name, _store, _limits, _function, _signature) = (name, store, limits, function, signature);
        _slots = (nuint)signature.Slots;
        if (NativeBoundary.IsEnabled)
        {
            _context = NativeBoundary.ContextOf(store);
            _handle = NativeBoundary.HandleOf(function);
        }
        else
        {
            // Reused across calls: calls are serialized by the gate.
            _boxes = new ValueBox[signature.Parameters.Length];
        }
    }

    /// <summary>Gets the export's name, for messages.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether calls go through Wasmtime's C entry point directly.</summary>
    public bool IsNative => _boxes is null;

    /// <summary>Binds export <paramref name="name"/> of <paramref name="instance"/> if it is a function of exactly this signature.</summary>
    /// <exception cref="WasmContractException">It is missing or its signature differs; the message names both signatures.</exception>
    public static GuestFunction Bind(Store store, CallLimits limits, Instance instance, Module module, string name, WasmSignature signature)
    {
        Function? function = instance.GetFunction(name);
        if (function is null || !signature.Is(function.Parameters, function.Results))
        {
            throw ExportSignatures.Mismatch(module, name, signature.Text);
        }

        return new GuestFunction(name, store, limits, function, signature);
    }

    /// <summary>Calls the export with the parameters in <paramref name="slots"/>; a result comes back in slot 0.</summary>
    /// <exception cref="WasmtimeException">The call trapped or failed, or returned past its deadline.</exception>
    public void Invoke(Span<RawValue> slots)
    {
        if (_boxes is null)
        {
            InvokeNative(slots);
        }
        else
        {
            InvokePublic(slots);
        }

        // Before the caller acts on the result: a blocking host call may have carried the call past its deadline.
        _limits.CheckReturnedInTime();
    }

    private void InvokeNative(Span<RawValue> slots)
    {
        WasmtimeFunc handle = _handle;
        nint trap = 0;
        nint error;
        fixed (RawValue* values = slots)
        {
            error = WasmtimeApi.wasmtime_func_call_unchecked(_context, &handle, values, _slots, &trap);
        }

        // The store owns the context pointer: it must outlive the native call.
        GC.KeepAlive(_store);
        if ((error | trap) != 0)
        {
            throw NativeBoundary.ToException(error, trap);
        }
    }

    private void InvokePublic(Span<RawValue> slots)
    {
        ValueBox[] boxes = _boxes!;
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = RawValues.Box(_signature.Parameters[i], slots[i]);
        }

        // A result comes back boxed as its own type; the union takes it at offset 0 whatever it is.
        RawValues.FromResult(_function.Invoke(boxes), ref slots[0]);
    }
}
