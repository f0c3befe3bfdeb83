using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Bindings;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Bindings;

/// <summary>
/// One call of a generated binding's export in progress, inside the guarded call: the raw argument slots, the
/// export's scratch region, and the temporary blocks of its strings and span copies.
/// </summary>
/// <remarks>
/// For the source generator's code; not meant to be used directly. Slots are numbered from 0 in wasm parameter
/// order; a result comes back in slot 0 after <see cref="Invoke"/>. Scratch values are laid out in the order
/// <see cref="Out{T}"/> and <see cref="In{T}"/> are called, which must be the order the binding's builder reserved them in.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public unsafe ref struct WasmCallFrame
{
    private readonly GuestInstance _guest;
    private readonly WasmBoundExport _export;
    private readonly Span<RawValue> _slots;
    private readonly uint _scratch;
    private int _cursor;
    private List<IGuestBlock>? _temporaries;

    internal WasmCallFrame(GuestInstance guest, WasmBoundExport export, Span<RawValue> slots, uint scratch)
    {
        _guest = guest;
        _export = export;
        _slots = slots;
        _scratch = scratch;
        _cursor = 0;
        _temporaries = null;
    }

    /// <summary>Gets the blocks to free once the call is over, or null.</summary>
    internal readonly List<IGuestBlock>? Temporaries => _temporaries;

    /// <summary>Writes an <c>i32</c> argument.</summary>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The value; smaller integers, <see cref="bool"/> and enums are widened by the caller, <see cref="uint"/> reinterpreted.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(int slot, int value) => _slots[slot].I32 = value;

    /// <summary>Writes an <c>i64</c> argument.</summary>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The value; <see cref="ulong"/> is reinterpreted by the caller.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(int slot, long value) => _slots[slot].I64 = value;

    /// <summary>Writes an <c>f32</c> argument.</summary>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(int slot, float value) => _slots[slot].F32 = value;

    /// <summary>Writes an <c>f64</c> argument.</summary>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(int slot, double value) => _slots[slot].F64 = value;

    /// <summary>Writes a buffer's address after checking that it is live and belongs to this module.</summary>
    /// <typeparam name="T">The buffer's element type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="buffer">The buffer.</param>
    /// <param name="parameter">The parameter's name, for the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> belongs to another module.</exception>
    public void Write<T>(int slot, WasmBuffer<T>? buffer, string parameter)
        where T : unmanaged
    {
        if (buffer is null || buffer.UncheckedOwner != _guest)
        {
            Operands.CheckArgument(_guest, buffer, parameter, _export.Name);
        }

        _slots[slot].I32 = unchecked((int)buffer!.UncheckedAddress);
    }

    /// <summary>Reserves the next scratch value for an <see langword="out"/> parameter, zeroed, and writes its address.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <returns>The value's address, for <see cref="Read{T}"/> after the call.</returns>
    public uint Out<T>(int slot)
        where T : unmanaged
    {
        uint address = NextScratch<T>(slot);
        *(T*)(_guest.Base + address) = default;
        return address;
    }

    /// <summary>Reserves the next scratch value for a <see langword="ref"/> or <see langword="in"/> parameter, writes <paramref name="value"/> there and its address into the slot.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The value the module reads.</param>
    /// <returns>The value's address, for <see cref="Read{T}"/> after the call.</returns>
    public uint In<T>(int slot, in T value)
        where T : unmanaged
    {
        uint address = NextScratch<T>(slot);
        Unsafe.WriteUnaligned(_guest.Base + address, value);
        return address;
    }

    /// <summary>Reads a scratch value or span copy at <paramref name="address"/>, as the module left it.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="address">What <see cref="Out{T}"/> or <see cref="In{T}"/> returned.</param>
    /// <returns>The value.</returns>
    public readonly T Read<T>(uint address)
        where T : unmanaged => Unsafe.ReadUnaligned<T>(_guest.Base + address);

    /// <summary>Copies <paramref name="value"/> into a temporary block as zero-terminated UTF-8 and writes its address; <see langword="null"/> is address 0.</summary>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The string.</param>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public void Write(int slot, string? value)
    {
        if (value is null)
        {
            _slots[slot].I32 = 0;
            return;
        }

        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount == int.MaxValue)
        {
            ThrowHelper.ThrowStringTooLong(value.Length);
        }

        WasmBuffer<byte> block = Temporary<byte>(byteCount + 1);
        byte* destination = _guest.Base + block.UncheckedAddress;
        fixed (char* chars = value)
        {
            Encoding.UTF8.GetBytes(chars, value.Length, destination, byteCount);
        }

        destination[byteCount] = 0;
        _slots[slot].I32 = unchecked((int)block.UncheckedAddress);
    }

    /// <summary>Copies <paramref name="values"/> into a temporary block aligned for <typeparamref name="T"/> and writes its address.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="values">The elements.</param>
    /// <returns>The block's address, for <see cref="CopyBack{T}"/>.</returns>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public uint CopyIn<T>(int slot, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        WasmBuffer<T> block = Temporary<T>(values.Length);
        uint address = block.UncheckedAddress;
        values.CopyTo(new Span<T>(_guest.Base + address, values.Length));
        _slots[slot].I32 = unchecked((int)address);
        return address;
    }

    /// <summary>Copies the block <see cref="CopyIn{T}"/> made back into <paramref name="values"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="address">What <see cref="CopyIn{T}"/> returned for the same span.</param>
    /// <param name="values">The span that was copied in.</param>
    public readonly void CopyBack<T>(uint address, Span<T> values)
        where T : unmanaged => new ReadOnlySpan<T>(_guest.Base + address, values.Length).CopyTo(values);

    /// <summary>Calls the export with the slots written so far.</summary>
    /// <exception cref="Wasmtime.WasmtimeException">The call trapped; the guarded call maps it.</exception>
    public readonly void Invoke() => _export.Function!.Invoke(_slots);

    /// <summary>Reads an <c>i32</c> result.</summary>
    /// <returns>The result.</returns>
    public readonly int ResultInt32() => _slots[0].I32;

    /// <summary>Reads an <c>i64</c> result.</summary>
    /// <returns>The result.</returns>
    public readonly long ResultInt64() => _slots[0].I64;

    /// <summary>Reads an <c>f32</c> result.</summary>
    /// <returns>The result.</returns>
    public readonly float ResultFloat32() => _slots[0].F32;

    /// <summary>Reads an <c>f64</c> result.</summary>
    /// <returns>The result.</returns>
    public readonly double ResultFloat64() => _slots[0].F64;

    /// <summary>Reads an <c>i32</c> result as the address of a zero-terminated UTF-8 string the module owns; 0 is <see langword="null"/>.</summary>
    /// <returns>The string, or <see langword="null"/>.</returns>
    /// <exception cref="WasmContractException">No terminating zero before the end of linear memory.</exception>
    public readonly string? ResultString()
    {
        uint address = unchecked((uint)_slots[0].I32);
        if (address == 0)
        {
            return null;
        }

        ulong memoryBytes = (ulong)_guest.MemoryBytesInCall;
        byte* start = _guest.Base + address;
        ulong available = address < memoryBytes ? memoryBytes - address : 0;
        int length = available == 0 ? -1 : new ReadOnlySpan<byte>(start, (int)Math.Min(available, int.MaxValue)).IndexOf((byte)0);
        if (length < 0)
        {
            throw new WasmContractException(
                $"Export '{_export.Name}' returned 0x{address:X8} as a string, but no terminating zero follows it inside the {memoryBytes} bytes of linear memory.");
        }

        return Encoding.UTF8.GetString(start, length);
    }

    private uint NextScratch<T>(int slot)
        where T : unmanaged
    {
        uint address = _scratch + (uint)ScratchLayout.Next<T>(ref _cursor);
        _slots[slot].I32 = unchecked((int)address);
        return address;
    }

    private WasmBuffer<T> Temporary<T>(int length)
        where T : unmanaged
    {
        // A nested guarded call on this thread; the block is freed by the binding once this call is over.
        WasmBuffer<T> block = _guest.Heap.Allocate<T>(length);
        (_temporaries ??= new List<IGuestBlock>(2)).Add(block);
        return block;
    }
}
