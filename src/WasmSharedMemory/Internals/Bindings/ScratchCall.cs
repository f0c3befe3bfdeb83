using System.Threading;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>Allocates a binding's scratch block and retains it as the library's own, in one guarded call so the counters change under the gate.</summary>
internal readonly struct ScratchCall : IGuestCall<uint>
{
    // 16-byte units: the allocator is asked for, and checked to give, the alignment every region starts at.
    private readonly int _units;

    public ScratchCall(GuestHeap heap, int bytes) => (Export, _units) = (heap.Contract.AllocExport, bytes / ScratchLayout.RegionAlignment);

    public string Export { get; }

    public CancellationToken CancellationToken => default;

    public bool Prepare(GuestInstance guest, out uint result) => (result = 0) == 0;

    public uint Invoke(GuestInstance guest) => guest.Heap.Retain(guest.Heap.Allocate<ScratchUnit>(_units));

    /// <summary>The unit the scratch block is allocated in.</summary>
    internal struct ScratchUnit
    {
#pragma warning disable CS0169 // never read: only its size and alignment matter
        private long _low;
        private long _high;
#pragma warning restore CS0169
    }
}
