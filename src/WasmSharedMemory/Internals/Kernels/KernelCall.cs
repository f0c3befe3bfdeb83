using System;
using System.Runtime.CompilerServices;
using System.Threading;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// One call of a <see cref="KernelTable"/> row over operands of one length: element-wise into a destination
/// (the result is unused), or a reduction of the two sources (no destination) that returns one value.
/// </summary>
internal readonly struct KernelCall<T> : IGuestCall<T>
    where T : unmanaged
{
    private readonly KernelModule _module;
    private readonly KernelDescriptor _kernel;
    private readonly WasmBuffer<T> _left;
    private readonly WasmBuffer<T> _right;
    private readonly WasmBuffer<T>? _destination;

    public KernelCall(KernelModule module, KernelDescriptor kernel, WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T>? destination)
    {
        (_module, _kernel, _left, _right, _destination) = (module, kernel, left, right, destination);
    }

    public string Export => _kernel.Export;

    public CancellationToken CancellationToken => CancellationToken.None;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // checks only; every kernel call runs it
    public bool Prepare(GuestInstance guest, out T result)
    {
        result = default;
        int length = Operands.Length(guest, _left, "left");
        Operands.SameLength(Operands.Length(guest, _right, "right"), length, "right");
        if (_kernel.Shape == KernelShape.ElementWise)
        {
            Operands.SameLength(Operands.Length(guest, _destination!, "destination"), length, "destination");
        }

        return true;
    }

    public T Invoke(GuestInstance guest)
    {
        int length = _left.UncheckedLength;
        if (length == 0)
        {
            return default; // nothing to write; an empty sum is +0
        }

        if (_module.Crew is { } crew && crew.ShouldSplit((long)length * ElementLayout<T>.Size))
        {
            if (_destination is not null)
            {
                crew.ElementWise(_module.Kernel(_kernel), _kernel, length, ElementLayout<T>.Size, _destination.UncheckedAddress, _left.UncheckedAddress, _right.UncheckedAddress);
                return default;
            }

            if (crew.TryReduce(guest, _module.Kernel(_kernel.ChunkSums!), _kernel, length, _left.UncheckedAddress, _right.UncheckedAddress, out T sum))
            {
                return sum;
            }
        }

        // (n, dst, a, b) for element-wise kernels, (n, a, b) -> T for reductions.
        Span<RawValue> slots = stackalloc RawValue[4];
        int next = 0;
        slots[next++].I32 = length;
        if (_destination is not null)
        {
            slots[next++].I32 = unchecked((int)_destination.UncheckedAddress);
        }

        slots[next++].I32 = unchecked((int)_left.UncheckedAddress);
        slots[next].I32 = unchecked((int)_right.UncheckedAddress);
        _module.Kernel(_kernel).Invoke(slots);

        // Every scalar member of the union sits at offset 0, so a reduction's result is read as T where it lies.
        return _destination is null ? Unsafe.As<RawValue, T>(ref slots[0]) : default;
    }
}
