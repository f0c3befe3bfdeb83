using System;
using System.Runtime.CompilerServices;
using System.Threading;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>A reduction over two operands of one length that returns one value of the element type.</summary>
internal readonly struct ReductionCall<T> : IGuestCall<T>
    where T : unmanaged
{
    private readonly KernelModule _module;
    private readonly KernelDescriptor _kernel;
    private readonly WasmBuffer<T> _left;
    private readonly WasmBuffer<T> _right;

    public ReductionCall(KernelModule module, KernelDescriptor kernel, WasmBuffer<T> left, WasmBuffer<T> right)
    {
        _module = module;
        _kernel = kernel;
        _left = left;
        _right = right;
    }

    public string Export => _kernel.Export;

    public CancellationToken CancellationToken => CancellationToken.None;

    public bool Prepare(GuestInstance guest, out T result)
    {
        result = default;
        Operands.SameLength(Operands.Length(guest, _right, "right"), Operands.Length(guest, _left, "left"), "right");
        return true;
    }

    public T Invoke(GuestInstance guest)
    {
        int length = _left.UncheckedLength;
        if (length == 0)
        {
            return default; // +0.0, as the kernels define an empty sum
        }

        Span<RawValue> slots = stackalloc RawValue[3];
        slots[0].I32 = length;
        slots[1].I32 = unchecked((int)_left.UncheckedAddress);
        slots[2].I32 = unchecked((int)_right.UncheckedAddress);
        _module.Kernel(_kernel).Invoke(slots);

        // Every scalar member of the union sits at offset 0, so the result is read as T where it lies.
        return Unsafe.As<RawValue, T>(ref slots[0]);
    }
}
