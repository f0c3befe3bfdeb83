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
    private uint _returnArea;

    internal WasmCallFrame(GuestInstance guest, WasmBoundExport export, Span<RawValue> slots, uint scratch)
    {
        _guest = guest;
        _export = export;
        _slots = slots;
        _scratch = scratch;
        _cursor = 0;
        _temporaries = null;
        _returnArea = 0;
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
        where T : unmanaged => Write(slot, buffer, parameter, transfer: false);

    /// <summary>Writes a buffer's address after checking it, and with <paramref name="transfer"/> releases it to the guest (<see cref="WasmBuffer{T}.Release"/>).</summary>
    /// <typeparam name="T">The buffer's element type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="buffer">The buffer.</param>
    /// <param name="parameter">The parameter's name, for the exception.</param>
    /// <param name="transfer">Whether the export takes ownership of the block (<see cref="WasmTransferAttribute"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> belongs to another module.</exception>
    public void Write<T>(int slot, WasmBuffer<T>? buffer, string parameter, bool transfer)
        where T : unmanaged
    {
        if (buffer is null || buffer.UncheckedOwner != _guest)
        {
            Operands.CheckArgument(_guest, buffer, parameter, _export.Name);
        }

        _slots[slot].I32 = unchecked((int)buffer!.UncheckedAddress);
        if (transfer)
        {
            Give(buffer, parameter);
        }
    }

    /// <summary>Writes a buffer as wasm-bindgen passes a slice, its address in <paramref name="slot"/> and its length in the next, after checking it; with <paramref name="transfer"/> releases it to the guest.</summary>
    /// <typeparam name="T">The buffer's element type.</typeparam>
    /// <param name="slot">The position of the address; the length follows it.</param>
    /// <param name="buffer">The buffer.</param>
    /// <param name="parameter">The parameter's name, for the exception.</param>
    /// <param name="transfer">Whether the export takes ownership of the block (<see cref="WasmTransferAttribute"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="buffer"/> has been disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> belongs to another module.</exception>
    public void WriteSlice<T>(int slot, WasmBuffer<T>? buffer, string parameter, bool transfer)
        where T : unmanaged
    {
        Write(slot, buffer, parameter, transfer: false);
        _slots[slot + 1].I32 = buffer!.UncheckedLength;
        if (transfer)
        {
            Give(buffer, parameter);
        }
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
    public void Write(int slot, string? value) => Write(slot, value, transfer: false);

    /// <summary>Copies <paramref name="value"/> into a block as zero-terminated UTF-8 and writes its address; <see langword="null"/> is address 0. With <paramref name="transfer"/> the guest owns the block.</summary>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="value">The string.</param>
    /// <param name="transfer">Whether the export takes ownership of the block (<see cref="WasmTransferAttribute"/>): it is then never freed by the host.</param>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public void Write(int slot, string? value, bool transfer)
    {
        if (value is null)
        {
            _slots[slot].I32 = 0;
            return;
        }

        int byteCount = Utf8Length(value);
        if (byteCount == int.MaxValue)
        {
            ThrowHelper.ThrowStringTooLong(value.Length);
        }

        WasmBuffer<byte> block = Block<byte>(byteCount + 1, transfer);
        byte* destination = _guest.Base + block.UncheckedAddress;
        EncodeUtf8(value, destination, byteCount);
        destination[byteCount] = 0;
        _slots[slot].I32 = unchecked((int)block.UncheckedAddress);
        Settle(block, transfer);
    }

    /// <summary>
    /// Copies <paramref name="value"/> into a block as UTF-8 with no terminator, as wasm-bindgen passes a <c>&amp;str</c>
    /// or <c>String</c>: its address in <paramref name="slot"/>, its length in bytes in the next. The guest owns the
    /// block; <see langword="null"/> is address 0 and length 0 (an <c>Option</c>'s <c>None</c>).
    /// </summary>
    /// <param name="slot">The position of the address; the length follows it.</param>
    /// <param name="value">The string.</param>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public void WriteUtf8(int slot, string? value)
    {
        if (value is null)
        {
            _slots[slot].I32 = 0;
            _slots[slot + 1].I32 = 0;
            return;
        }

        int byteCount = Utf8Length(value);
        WasmBuffer<byte> block = Block<byte>(byteCount, transfer: true);
        EncodeUtf8(value, _guest.Base + block.UncheckedAddress, byteCount);
        _slots[slot].I32 = unchecked((int)block.UncheckedAddress);
        _slots[slot + 1].I32 = byteCount;
        Settle(block, transfer: true);
    }

    /// <summary>Copies <paramref name="values"/> into a temporary block aligned for <typeparamref name="T"/> and writes its address.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="values">The elements.</param>
    /// <returns>The block's address, for <see cref="CopyBack{T}"/>.</returns>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public uint CopyIn<T>(int slot, ReadOnlySpan<T> values)
        where T : unmanaged => CopyIn(slot, values, transfer: false);

    /// <summary>Copies <paramref name="values"/> into a block aligned for <typeparamref name="T"/> and writes its address; with <paramref name="transfer"/> the guest owns the block.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="slot">The parameter's position.</param>
    /// <param name="values">The elements.</param>
    /// <param name="transfer">Whether the export takes ownership of the block (<see cref="WasmTransferAttribute"/>): it is then never freed by the host.</param>
    /// <returns>The block's address, for <see cref="CopyBack{T}"/>.</returns>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public uint CopyIn<T>(int slot, ReadOnlySpan<T> values, bool transfer)
        where T : unmanaged
    {
        WasmBuffer<T> block = Block<T>(values.Length, transfer);
        uint address = block.UncheckedAddress;
        values.CopyTo(new Span<T>(_guest.Base + address, values.Length));
        _slots[slot].I32 = unchecked((int)address);
        Settle(block, transfer);
        return address;
    }

    /// <summary>
    /// Copies <paramref name="values"/> into a block as wasm-bindgen passes a slice or <c>Vec</c>: its address in
    /// <paramref name="slot"/>, its length in elements in the next. With <paramref name="transfer"/> the guest owns
    /// the block; without (a <c>&amp;mut [T]</c>), the host frees it after the call, as wasm-bindgen's JavaScript does.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="slot">The position of the address; the length follows it.</param>
    /// <param name="values">The elements.</param>
    /// <param name="transfer">Whether the export takes ownership of the block.</param>
    /// <returns>The block's address, for <see cref="CopyBack{T}"/>.</returns>
    /// <exception cref="WasmOutOfMemoryException">The module could not allocate the block.</exception>
    public uint PassArray<T>(int slot, ReadOnlySpan<T> values, bool transfer)
        where T : unmanaged
    {
        uint address = CopyIn(slot, values, transfer);
        _slots[slot + 1].I32 = values.Length;
        return address;
    }

    /// <summary>
    /// Takes wasm-bindgen's return area for a result that comes back through it: moves the module's stack pointer
    /// down 16 bytes (<c>__wbindgen_add_to_stack_pointer(-16)</c>) and writes the area's address in slot 0, the
    /// export's leading parameter. The result readers give the 16 bytes back.
    /// </summary>
    /// <exception cref="WasmContractException">The binding was not built with a return area for this export.</exception>
    public void ReturnArea()
    {
        _returnArea = unchecked((uint)MoveStackPointer(-ReturnAreaBytes));
        _slots[0].I32 = unchecked((int)_returnArea);
    }

    /// <summary>Reads a <c>String</c> result from the return area (address, then length in bytes), copies it, frees it with the module's free, and gives the return area back; address 0 (an <c>Option</c>'s <c>None</c>) is <see langword="null"/>.</summary>
    /// <returns>The string.</returns>
    /// <exception cref="WasmContractException">The module returned a block outside its memory; the host is faulted.</exception>
    public string? ResultUtf8()
    {
        (uint address, int length) = TakeResult<byte>();
        if (address == 0)
        {
            MoveStackPointer(ReturnAreaBytes);
            return null;
        }

        string value = length == 0 ? string.Empty : Encoding.UTF8.GetString(_guest.Base + address, length);
        FreeResult<byte>(address, length);
        return value;
    }

    /// <summary>Reads a <c>Vec&lt;T&gt;</c> result from the return area (address, then length in elements), copies it, frees it with the module's free, and gives the return area back.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The elements.</returns>
    /// <exception cref="WasmContractException">The module returned a block outside its memory or misaligned; the host is faulted.</exception>
    public T[] ResultArray<T>()
        where T : unmanaged
    {
        (uint address, int length) = TakeResult<T>();
        T[] values = length == 0 ? Array.Empty<T>() : new ReadOnlySpan<T>(_guest.Base + address, length).ToArray();
        FreeResult<T>(address, length);
        return values;
    }

    /// <summary>Copies the block <c>CopyIn</c> made back into <paramref name="values"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="address">What <c>CopyIn</c> returned for the same span.</param>
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

    /// <summary>The bytes wasm-bindgen's JavaScript takes from the module's stack for a return area.</summary>
    private const int ReturnAreaBytes = 16;

    /// <summary>Allocates a block for an argument: a temporary the binding frees after the call, or, to transfer, one it never will.</summary>
    private WasmBuffer<T> Block<T>(int length, bool transfer)
        where T : unmanaged
    {
        // A nested guarded call on this thread.
        WasmBuffer<T> block = _guest.Heap.Allocate<T>(length);
        if (!transfer)
        {
            (_temporaries ??= new List<IGuestBlock>(2)).Add(block);
        }

        return block;
    }

    /// <summary>Hands a transferred block to the guest once it is written: out of the host's counters and ledger.</summary>
    private void Settle<T>(WasmBuffer<T> block, bool transfer)
        where T : unmanaged
    {
        if (transfer)
        {
            _guest.Heap.Release(block);
        }
    }

    private void Give<T>(WasmBuffer<T> buffer, string parameter)
        where T : unmanaged
    {
        if (!_guest.Heap.Release(buffer))
        {
            ThrowHelper.ThrowOperandDisposed(parameter);
        }
    }

    private int MoveStackPointer(int delta)
    {
        GuestFunction stackPointer = _export.StackPointer
            ?? throw new WasmContractException($"Export '{_export.Name}' was bound without wasm-bindgen's return area.");
        Span<RawValue> slot = stackalloc RawValue[1];
        slot[0].I32 = delta;
        stackPointer.Invoke(slot);
        return slot[0].I32;
    }

    /// <summary>Reads the (address, length) pair a result left in the return area and checks it lies inside memory, aligned for <typeparamref name="T"/>.</summary>
    private (uint Address, int Length) TakeResult<T>()
        where T : unmanaged
    {
        uint area = _returnArea;
        ulong memoryBytes = (ulong)_guest.MemoryBytesInCall;
        if ((ulong)area + 8 > memoryBytes)
        {
            throw _guest.Fault(new WasmContractException($"Export '{_export.Name}': wasm-bindgen's return area 0x{area:X8} lies outside the {memoryBytes} bytes of linear memory. The module is faulted."));
        }

        uint address = Unsafe.ReadUnaligned<uint>(_guest.Base + area);
        uint length = Unsafe.ReadUnaligned<uint>(_guest.Base + area + 4);
        ulong bytes = (ulong)length * (ulong)ElementLayout<T>.Size;
        if (length > int.MaxValue || (length != 0 && ((ulong)address + bytes > memoryBytes || address % (uint)ElementLayout<T>.NaturalAlignment != 0)))
        {
            throw _guest.Fault(new WasmContractException(
                $"Export '{_export.Name}' returned {length} × {typeof(T).Name} at 0x{address:X8}, which is not a block inside the {memoryBytes} bytes of linear memory aligned for {typeof(T).Name}. The module is faulted."));
        }

        return (address, (int)length);
    }

    /// <summary>Frees a result's block as wasm-bindgen's JavaScript does (size in bytes, the element's alignment), then gives the return area back.</summary>
    private void FreeResult<T>(uint address, int length)
        where T : unmanaged
    {
        if (length != 0)
        {
            _guest.Heap.FreeGuestBlock(address, (ulong)length * (ulong)ElementLayout<T>.Size, ElementLayout<T>.Alignment);
        }

        MoveStackPointer(ReturnAreaBytes);
        _returnArea = 0;
    }

    private static int Utf8Length(string value) => Encoding.UTF8.GetByteCount(value);

    private static void EncodeUtf8(string value, byte* destination, int byteCount)
    {
        fixed (char* chars = value)
        {
            Encoding.UTF8.GetBytes(chars, value.Length, destination, byteCount);
        }
    }
}
