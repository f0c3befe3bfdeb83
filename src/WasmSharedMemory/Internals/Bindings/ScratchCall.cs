using System.Threading;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>Allocates a binding's scratch block and retains it as the library's own, in one guarded call so the counters change under the gate.</summary>
internal readonly struct ScratchCall : IGuestCall<uint>
{
    private readonly GuestHeap _heap;
    private readonly int _bytes;

    public ScratchCall(GuestHeap heap, int bytes) => (_heap, _bytes) = (heap, bytes);

    public string Export => _heap.Contract.AllocExport;

    public CancellationToken CancellationToken => CancellationToken.None;

    public bool Prepare(GuestInstance guest, out uint result)
    {
        result = 0;
        return true;
    }

    public uint Invoke(GuestInstance guest)
    {
        // 16-byte units: the allocator is asked for, and checked to give, the alignment every region starts at.
        WasmBuffer<ScratchUnit> block = _heap.Allocate<ScratchUnit>(_bytes / ScratchLayout.RegionAlignment);
        return _heap.Retain(block);
    }

    /// <summary>The unit the scratch block is allocated in.</summary>
    internal struct ScratchUnit
    {
#pragma warning disable CS0169 // never read: only its size and alignment matter
        private long _low;
        private long _high;
#pragma warning restore CS0169
    }
}
