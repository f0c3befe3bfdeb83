using System;
using System.Threading;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>An element-wise kernel over three operands of one length: <c>destination[i] = left[i] op right[i]</c>.</summary>
internal readonly struct ElementWiseCall<T> : IGuestCall<bool>
    where T : unmanaged
{
    private readonly KernelModule _module;
    private readonly KernelDescriptor _kernel;
    private readonly WasmBuffer<T> _left;
    private readonly WasmBuffer<T> _right;
    private readonly WasmBuffer<T> _destination;

    public ElementWiseCall(KernelModule module, KernelDescriptor kernel, WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination)
    {
        _module = module;
        _kernel = kernel;
        _left = left;
        _right = right;
        _destination = destination;
    }

    public string Export => _kernel.Export;

    public CancellationToken CancellationToken => CancellationToken.None;

    public bool Prepare(GuestInstance guest, out bool result)
    {
        result = false;
        int length = Operands.Length(guest, _left, "left");
        Operands.SameLength(Operands.Length(guest, _right, "right"), length, "right");
        Operands.SameLength(Operands.Length(guest, _destination, "destination"), length, "destination");
        return true;
    }

    public bool Invoke(GuestInstance guest)
    {
        int length = _left.UncheckedLength;
        if (length == 0)
        {
            return true;
        }

        Span<RawValue> slots = stackalloc RawValue[4];
        slots[0].I32 = length;
        slots[1].I32 = unchecked((int)_destination.UncheckedAddress);
        slots[2].I32 = unchecked((int)_left.UncheckedAddress);
        slots[3].I32 = unchecked((int)_right.UncheckedAddress);
        _module.Kernel(_kernel).Invoke(slots);
        return true;
    }
}
