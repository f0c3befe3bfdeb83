using System;
using System.Runtime.CompilerServices;
using System.Threading;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// One call of a <see cref="KernelTable"/> row: its buffers and scalar in the row's operand order, checked against
/// the row's operands and passed in its parameter slots. A kernel that writes a destination returns nothing (the
/// result is unused); a reduction returns its value, read from slot 0.
/// </summary>
internal readonly struct KernelCall<T> : IBesideCall<T>
    where T : unmanaged
{
    private readonly KernelModule _module;
    private readonly KernelDescriptor _kernel;
    private readonly WasmBuffer<T>? _first;
    private readonly WasmBuffer<T>? _second;
    private readonly WasmBuffer<T>? _third;
    private readonly T _scalar;

    /// <summary>A call of <paramref name="kernel"/>; each operand position holds a buffer (null for the scalar's position, and past the last operand).</summary>
    public KernelCall(KernelModule module, KernelDescriptor kernel, WasmBuffer<T>? first, WasmBuffer<T>? second, WasmBuffer<T>? third = null, T scalar = default)
    {
        (_module, _kernel, _first, _second, _third, _scalar) = (module, kernel, first, second, third, scalar);
    }

    public string Export => _kernel.Export;

    public CancellationToken CancellationToken => CancellationToken.None;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // checks only; every kernel call runs it
    public bool Prepare(GuestInstance guest, out T result)
    {
        result = default;
        int[] checks = _kernel.BufferChecks;
        KernelOperand[] operands = _kernel.Operands;
        int length = Operands.Length(guest, Buffer(checks[0]), operands[checks[0]].Name);
        for (int i = 1; i < checks.Length; i++)
        {
            string name = operands[checks[i]].Name;
            Operands.SameLength(Operands.Length(guest, Buffer(checks[i]), name), length, name);
        }

        return true;
    }

    public T Invoke(GuestInstance guest)
    {
        int length = Buffer(_kernel.BufferChecks[0]).UncheckedLength;
        if (length == 0)
        {
            return default; // nothing to write; an empty sum is +0
        }

        Span<RawValue> slots = stackalloc RawValue[KernelDescriptor.MaxSlots];
        Fill(slots, length);

        if (_module.Crew is { } crew && crew.Policy.ShouldSplit((long)length * _kernel.ElementSize))
        {
            if (_kernel.Result is null)
            {
                crew.Split(_module.Kernel(_kernel), _kernel, slots, length);
                return default;
            }

            if (crew.TryReduce(guest, _module.Kernel(_kernel.ChunkSums!), _kernel, slots, length, out T sum))
            {
                return sum;
            }
        }

        _module.Kernel(_kernel).Invoke(slots);
        return ResultIn(slots);
    }

    /// <summary>Gets whether the call has <paramref name="minSplitBytes"/> or more per operand, where a parallel module may split it; a buffer not yet checked counts as small.</summary>
    public bool MaySplit(long minSplitBytes) =>
        Buffer(_kernel.BufferChecks[0]) is { } first && (long)first.UncheckedLength * _kernel.ElementSize >= minSplitBytes;

    public bool TryPin(GuestInstance guest)
    {
        int pinned = 0;
        int[] checks = _kernel.BufferChecks;
        for (; pinned < checks.Length; pinned++)
        {
            if (Buffer(checks[pinned]) is not { } buffer || !buffer.TryPin(guest))
            {
                Unpin(pinned);
                return false;
            }
        }

        return true;
    }

    public void Unpin() => Unpin(_kernel.BufferChecks.Length);

    /// <summary>Runs the whole call, never split, on another instance of the module: through <paramref name="kernels"/>, its bound kernels.</summary>
    public T InvokeOn(GuestFunction[] kernels)
    {
        int length = Buffer(_kernel.BufferChecks[0]).UncheckedLength;
        if (length == 0)
        {
            return default;
        }

        Span<RawValue> slots = stackalloc RawValue[KernelDescriptor.MaxSlots];
        Fill(slots, length);
        kernels[_kernel.Index].Invoke(slots);
        return ResultIn(slots);
    }

    /// <summary>Reads a reduction's result from slot 0 (default for a kernel that writes a destination).</summary>
    // Every scalar member of the union sits at offset 0, so the result is read as T where it lies.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T ResultIn(Span<RawValue> slots) => _kernel.Result is null ? default : Unsafe.As<RawValue, T>(ref slots[0]);

    private void Unpin(int count)
    {
        int[] checks = _kernel.BufferChecks;
        for (int i = 0; i < count; i++)
        {
            Buffer(checks[i]).Unpin();
        }
    }

    /// <summary>Writes <c>n</c>, then each operand in the export's order: a buffer's address, or the scalar in the slot's first bytes.</summary>
    /// <remarks>Apart from <see cref="Invoke"/> so that method has no loop next to its <c>stackalloc</c> and tiers up as usual (a loop there makes the JIT skip tier-0 and PGO).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // a few stores; inlined once Invoke is optimized
    private void Fill(Span<RawValue> slots, int length)
    {
        slots[0].I32 = length;
        KernelOperand[] operands = _kernel.Operands;
        for (int i = 0; i < operands.Length; i++)
        {
            if (operands[i].IsBuffer)
            {
                slots[i + 1].I32 = unchecked((int)Buffer(i).UncheckedAddress);
            }
            else
            {
                Unsafe.As<RawValue, T>(ref slots[i + 1]) = _scalar;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private WasmBuffer<T> Buffer(int operand) => (operand switch { 0 => _first, 1 => _second, _ => _third })!;
}
