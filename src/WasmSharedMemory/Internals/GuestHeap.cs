using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The buffers of one instance: allocation and freeing through the module's <see cref="AllocatorContract"/>,
/// the check of every address the guest returns, the ledger of live blocks, and the live counters.
/// </summary>
internal sealed partial class GuestHeap
{
    /// <summary>The address empty buffers report: non-zero and aligned for every element type (up to 64, <c>Vector512&lt;T&gt;</c>), owning no memory.</summary>
    public const uint EmptyBlockAddress = 64;

    /// <summary>A wasm32 size argument is a u32.</summary>
    public const ulong MaxBlockBytes = uint.MaxValue;

    private static readonly AllocatorContract[] s_known =
    {
        AllocatorContract.WasmSharedMemory, AllocatorContract.WasmBindgen, AllocatorContract.CMalloc, AllocatorContract.AssemblyScript,
    };

    private readonly GuestInstance _guest;
    private readonly GuestFunction _alloc;
    private readonly GuestFunction _free;
    private readonly GuestFunction? _pin;
    private readonly bool _passesAlignment;
    private readonly BlockSet _blocks = new();
    private int _liveBuffers;
    private long _liveBytes;

    /// <summary>Binds <paramref name="contract"/>'s exports of <paramref name="guest"/>, checking their signatures.</summary>
    /// <exception cref="WasmContractException">An export is missing or mistyped; the message names it and both signatures.</exception>
    public GuestHeap(GuestInstance guest, AllocatorContract contract)
    {
        _guest = guest;
        Contract = contract;
        _alloc = guest.Bind(contract.AllocExport, contract.AllocSignature);
        _free = guest.Bind(contract.FreeExport, contract.FreeSignature);
        _pin = contract.PinExport is { } pin ? guest.Bind(pin, contract.PinSignature) : null;
        _passesAlignment = contract.AllocParameters == AllocatorParameters.SizeAlignment;
    }

    public AllocatorContract Contract { get; }

    /// <summary>Gets the buffers not yet disposed; 0 once the instance is disposed, since its buffers died with it.</summary>
    public int LiveBuffers => _guest.IsDisposed ? 0 : UndisposedBuffers;

    /// <summary>Gets the bytes of the buffers not yet disposed; 0 once the instance is disposed.</summary>
    public long LiveBytes => _guest.IsDisposed ? 0 : UndisposedBytes;

    /// <summary>
    /// Gets the buffers whose <see cref="WasmBuffer{T}.Dispose"/> has not run, also after the instance is disposed:
    /// what a leak check counts. Each buffer leaves the count once, when it detaches, so it never goes negative.
    /// </summary>
    internal int UndisposedBuffers => Volatile.Read(ref _liveBuffers);

    /// <summary>Gets the bytes of the buffers counted by <see cref="UndisposedBuffers"/>.</summary>
    internal long UndisposedBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Picks the one known contract whose exports the module has; wasm-bindgen's in whichever shape the module has it.</summary>
    /// <exception cref="WasmContractException">None or several match, or a wasm-bindgen build's allocator cannot be told apart.</exception>
    public static AllocatorContract Detect(Module module)
    {
        var functions = new HashSet<string>(module.Exports.OfType<FunctionExport>().Select(e => e.Name));
        AllocatorContract? wasmBindgen = WasmBindgenAllocator.Detect(module);
        AllocatorContract[] matches = s_known
            .Select(c => c == AllocatorContract.WasmBindgen ? wasmBindgen : c)
            .Where(c => c is not null && functions.Contains(c.AllocExport) && functions.Contains(c.FreeExport) && (c.PinExport is null || functions.Contains(c.PinExport)))
            .ToArray()!;
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new WasmContractException(
                $"The module exports no allocator WasmHost recognizes ({string.Join(", ", s_known.Select(c => string.Join("/", new[] { c.AllocExport, c.PinExport, c.FreeExport }.Where(e => e is not null))))}); " +
                $"pass AllocatorContract.Custom(...) naming its exports. The module exports: {ExportSignatures.ListExports(module)}."),
            _ => throw new WasmContractException(
                $"The module exports the allocators of several contracts ({string.Join(", ", matches.Select(c => c.Name))}); " +
                "pass the AllocatorContract to use."),
        };
    }

    /// <summary>Allocates and checks a block for <paramref name="length"/> elements of <typeparamref name="T"/>.</summary>
    public WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged
    {
        if (length < 0)
        {
            ThrowHelper.ThrowNegativeLength(length);
        }

        ulong bytes = (ulong)length * (ulong)ElementLayout<T>.Size; // int × int cannot overflow 64 bits
        if (bytes > MaxBlockBytes)
        {
            ThrowHelper.ThrowBufferTooLarge(length, ElementLayout<T>.Size, typeof(T), bytes);
        }

        var call = new AllocateCall<T>(this, length, bytes);
        return _guest.Call<AllocateCall<T>, WasmBuffer<T>>(ref call);
    }

    /// <summary>Frees <paramref name="block"/> if it is still attached; never calls into a disposed or faulted store.</summary>
    public void Free(IGuestBlock block)
    {
        var call = new FreeCall(this, block);
        _guest.Call<FreeCall, bool>(ref call);
    }

    /// <summary>Forgets <paramref name="block"/> without freeing it, for the guest to free: detached, uncounted, out of the ledger.</summary>
    /// <returns>False if the block was already detached (disposed or released).</returns>
    public bool Release(IGuestBlock block)
    {
        var call = new ReleaseCall(this, block);
        return _guest.Call<ReleaseCall, bool>(ref call);
    }

    /// <summary>Frees a block the guest allocated and handed to the host (a wasm-bindgen result), through the contract's free. Only inside a call.</summary>
    public void FreeGuestBlock(uint address, ulong bytes, int alignment) => CallFree(address, bytes, alignment);

    private uint CallAlloc(ulong bytes, int alignment)
    {
        Span<RawValue> slots = stackalloc RawValue[2];
        slots[0].I32 = unchecked((int)(uint)bytes);
        // A class id of 0 makes AssemblyScript's __new a plain object with nothing for its collector to trace.
        slots[1].I32 = _passesAlignment ? alignment : 0;
        _alloc.Invoke(slots);

        // Wasm pointers are u32: reinterpret the i32 bits, never sign-extend.
        return unchecked((uint)slots[0].I32);
    }

    /// <summary>Pins a new block so a garbage-collected runtime keeps it while only the host refers to it.</summary>
    private void CallPin(uint address)
    {
        Span<RawValue> slots = stackalloc RawValue[1];
        slots[0].I32 = unchecked((int)address);
        _pin!.Invoke(slots);
    }

    private void CallFree(uint address, ulong bytes, int alignment)
    {
        Span<RawValue> slots = stackalloc RawValue[3];
        slots[0].I32 = unchecked((int)address);
        slots[1].I32 = unchecked((int)(uint)bytes);
        slots[2].I32 = alignment;
        _free.Invoke(slots);
    }

    private void CheckBlock(uint address, ulong bytes, int alignment, Type elementType) => CheckBlock(address, bytes, alignment, elementType.Name);

    private void CheckBlock(uint address, ulong bytes, int alignment, string what)
    {
        if (TryClaim(address, bytes, alignment, what, out string problem) != BlockProblem.None)
        {
            // The block is not trusted enough to hand back to the guest's free.
            throw _guest.Fault(new WasmContractException($"Allocator export '{Contract.AllocExport}' returned address 0x{address:X8}, which {problem}. The module is faulted."));
        }
    }

    /// <summary>
    /// Enters a non-empty block in the ledger if it is aligned for its element type, lies inside memory and
    /// overlaps no live block; otherwise leaves the ledger alone and describes the problem. Only inside a call.
    /// </summary>
    private BlockProblem TryClaim(uint address, ulong bytes, int alignment, string what, out string problem)
    {
        ulong memoryBytes = (ulong)_guest.MemoryBytesInCall;
        (BlockProblem kind, problem) =
            address % (uint)alignment != 0 ? (BlockProblem.Misaligned, $"is not aligned to {alignment} bytes as {what} needs")
            : address + bytes > memoryBytes ? (BlockProblem.OutsideMemory, $"with {bytes} bytes ends past the {memoryBytes} bytes of linear memory")
            : _guest.MemoryMovedInCall ? (BlockProblem.MemoryMoved, "came after linear memory moved, which this engine forbids")
            : bytes != 0 && !_blocks.TryAdd(address, address + bytes, out var live) ? (BlockProblem.Overlaps, $"with {bytes} bytes overlaps the live block [0x{live.Start:X8}, 0x{live.End:X8})")
            : (BlockProblem.None, string.Empty);
        return kind;
    }

    /// <summary>What <see cref="TryClaim"/> found wrong with a block.</summary>
    private enum BlockProblem
    {
        None,
        Misaligned,
        OutsideMemory,
        MemoryMoved,
        Overlaps,
    }

    private WasmOutOfMemoryException OutOfMemory(ulong bytes, int length, Type elementType, long before) =>
        OutOfMemory(bytes, $"{length} × {elementType.Name}", before);

    /// <summary>Explains an allocation that returned 0 by what actually stopped memory from growing, from its size <paramref name="before"/> the call (unknown: its size now).</summary>
    private WasmOutOfMemoryException OutOfMemory(ulong bytes, string what, long? before = null)
    {
        long memoryBytes = _guest.MemoryBytesInCall;
        long start = before ?? memoryBytes;
        MemoryGrowth growth = _guest.Growth;
        string why = _guest.GrowthRefusalInCall is { } refusal ? $"The module asked the host to grow its memory, and it could not: {refusal}."
            : growth.Passed(memoryBytes + (long)bytes) is { } passed ? $"Growing memory by that much would pass {passed}."
            : memoryBytes > start ? $"Memory grew from {start} bytes during the call, and no limit was reached: the allocator could not find room in what it grew (its heap may be fragmented, or it grows in steps too small)."
            : "No limit stopped it: memory stayed at its size and the module did not grow it (its allocator cannot grow memory, or a growth import such as emscripten_resize_heap declined). " +
              "No host setting changes that: build the module with memory growth (Emscripten's -sALLOW_MEMORY_GROWTH) or a larger initial memory.";
        return new WasmOutOfMemoryException(
            (long)bytes,
            $"The WebAssembly module could not allocate {bytes} bytes ({what}): its allocator '{Contract.AllocExport}' returned 0. " +
            $"Linear memory is {memoryBytes} bytes, with {LiveBytes} bytes in live buffers. {why}");
    }

    private readonly struct AllocateCall<T> : IGuestCall<WasmBuffer<T>>
        where T : unmanaged
    {
        private readonly GuestHeap _heap;
        private readonly int _length;
        private readonly ulong _bytes;

        public AllocateCall(GuestHeap heap, int length, ulong bytes) => (_heap, _length, _bytes) = (heap, length, bytes);

        public string Export => _heap.Contract.AllocExport;

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out WasmBuffer<T> result)
        {
            result = null!;
            return true;
        }

        public WasmBuffer<T> Invoke(GuestInstance guest)
        {
            GuestHeap heap = _heap;
            uint address = EmptyBlockAddress;
            if (_bytes != 0)
            {
                int alignment = ElementLayout<T>.Alignment;
                long before = guest.MemoryBytesInCall;
                guest.ClearGrowthRefusalInCall();
                address = heap.CallAlloc(_bytes, alignment);
                if (address == 0)
                {
                    throw heap.OutOfMemory(_bytes, _length, typeof(T), before);
                }

                heap.CheckBlock(address, _bytes, alignment, typeof(T));
                if (heap._pin is not null)
                {
                    heap.CallPin(address);
                }
            }

            heap._liveBuffers++;
            heap._liveBytes += (long)_bytes;
            return new WasmBuffer<T>(guest, address, _length);
        }
    }

    /// <summary>
    /// Takes a detached block out of the live counters and, unless it is the empty block, out of the ledger of live
    /// addresses; returns whether it holds bytes. Both ways a buffer leaves the host, freed or released, go through here.
    /// </summary>
    private bool Forget(IGuestBlock block)
    {
        ulong bytes = block.BlockBytes;
        _liveBuffers--;
        _liveBytes -= (long)bytes;
        if (bytes == 0)
        {
            return false;
        }

        _blocks.Remove(block.BlockAddress);
        return true;
    }

    /// <summary>Hands a block to the guest; finishes under the gate without entering the guest.</summary>
    private readonly struct ReleaseCall : IGuestCall<bool>
    {
        private readonly GuestHeap _heap;
        private readonly IGuestBlock _block;

        public ReleaseCall(GuestHeap heap, IGuestBlock block) => (_heap, _block) = (heap, block);

        public string Export => _heap.Contract.FreeExport;

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out bool result)
        {
            result = _block.TryDetach(guest);
            if (result)
            {
                // The guest frees it now, so the allocator may hand the same bytes out again.
                _heap.Forget(_block);
                _block.WaitForPins();
            }

            return false;
        }

        public bool Invoke(GuestInstance guest) => false;
    }

    private readonly struct FreeCall : IGuestCall<bool>
    {
        private readonly GuestHeap _heap;
        private readonly IGuestBlock _block;

        public FreeCall(GuestHeap heap, IGuestBlock block) => (_heap, _block) = (heap, block);

        public string Export => _heap.Contract.FreeExport;

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out bool result)
        {
            result = false;
            if (!_block.TryDetach(guest))
            {
                return false;
            }

            if (!_heap.Forget(_block))
            {
                return false;
            }

            _block.WaitForPins();

            // After dispose the store's memory is gone with it; after a fault the guest heap may be corrupt.
            return !guest.IsDisposed && !guest.IsFaulted;
        }

        public bool Invoke(GuestInstance guest)
        {
            _heap.CallFree(_block.BlockAddress, _block.BlockBytes, _block.BlockAlignment);
            return true;
        }
    }
}
