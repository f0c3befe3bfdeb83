using System;
using System.Threading;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>A call of an export that takes no arguments (the ABI check, a reactor's <c>_initialize</c>); an <c>i32</c> result, if any, is returned.</summary>
internal readonly struct NullaryCall : IGuestCall<int>
{
    private readonly GuestFunction _function;

    public NullaryCall(GuestFunction function) => _function = function;

    public string Export => _function.Name;

    public CancellationToken CancellationToken => CancellationToken.None;

    public bool Prepare(GuestInstance guest, out int result)
    {
        result = 0;
        return true;
    }

    public int Invoke(GuestInstance guest)
    {
        // One slot even for no result: the native entry point gets a real pointer, never null.
        Span<RawValue> slots = stackalloc RawValue[1];
        slots[0].I32 = 0; // an export with no result leaves the slot as it was
        _function.Invoke(slots);
        return slots[0].I32;
    }
}
