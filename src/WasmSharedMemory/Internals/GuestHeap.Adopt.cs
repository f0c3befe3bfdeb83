using System;
using System.Threading;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals;

// Adoption: a block the guest's allocator handed out (a result returned by pointer) becomes a buffer the heap
// owns, checked like an allocated one and freed through the same contract on Dispose.
internal sealed partial class GuestHeap
{
    /// <summary>Takes ownership of <paramref name="length"/> elements of <typeparamref name="T"/> at <paramref name="address"/>.</summary>
    /// <remarks>
    /// The checks are those of an allocated block, but a failure is the caller's mistake, not the guest's: it
    /// throws an argument exception and leaves the instance usable, the ledger and the counters untouched.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or too large, or the block does not lie inside memory.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is 0 or misaligned for <typeparamref name="T"/>, or the block overlaps a live buffer.</exception>
    /// <exception cref="WasmModuleFaultedException">The instance faulted earlier.</exception>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    public WasmBuffer<T> Adopt<T>(uint address, int length)
        where T : unmanaged
    {
        if (length < 0)
        {
            ThrowHelper.ThrowNegativeLength(length);
        }

        ulong bytes = (ulong)length * (ulong)ElementLayout<T>.Size;
        if (bytes > MaxBlockBytes)
        {
            ThrowHelper.ThrowBufferTooLarge(length, ElementLayout<T>.Size, typeof(T), bytes);
        }

        if (address == 0)
        {
            ThrowHelper.ThrowAdoptNull();
        }

        var call = new AdoptCall<T>(this, address, length, bytes);
        return _guest.Call<AdoptCall<T>, WasmBuffer<T>>(ref call);
    }

    /// <summary>Checks and records the block entirely in <see cref="Prepare"/>, under the gate, and never enters the guest.</summary>
    private readonly struct AdoptCall<T> : IGuestCall<WasmBuffer<T>>
        where T : unmanaged
    {
        private readonly GuestHeap _heap;
        private readonly uint _address;
        private readonly int _length;
        private readonly ulong _bytes;

        public AdoptCall(GuestHeap heap, uint address, int length, ulong bytes)
        {
            _heap = heap;
            _address = address;
            _length = length;
            _bytes = bytes;
        }

        public string Export => _heap.Contract.AllocExport;

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out WasmBuffer<T> result)
        {
            // Prepare runs before the usual refusal of a disposed or faulted instance: a faulted guest's heap
            // may be corrupt, and a disposed one has no memory to check against.
            guest.ThrowIfUnusable();
            GuestHeap heap = _heap;
            switch (heap.TryClaim(_address, _bytes, ElementLayout<T>.Alignment, typeof(T).Name, out string problem))
            {
                case BlockProblem.None:
                    break;
                case BlockProblem.OutsideMemory:
                    ThrowHelper.ThrowAdoptOutsideMemory(_address, problem);
                    break;
                default:
                    ThrowHelper.ThrowAdoptRefused(_address, problem);
                    break;
            }

            heap._liveBuffers++;
            heap._liveBytes += (long)_bytes;
            result = new WasmBuffer<T>(guest, _address, _length);
            return false;
        }

        public WasmBuffer<T> Invoke(GuestInstance guest) =>
            throw new InvalidOperationException("Adoption never enters the guest.");
    }
}
