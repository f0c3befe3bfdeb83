using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Internals;

/// <summary>The scratch regions of generated bindings: the library's own blocks, one per export, shared by every binding of the instance.</summary>
internal sealed partial class GuestHeap
{
    // Keyed by export: bindings constructed per lease (or per request) on one host reuse the region their export
    // already has, so constructing a binding allocates nothing after the first. A binding that needs more room or a
    // larger alignment for the same export gets a new region; the old one stays valid for the bindings that hold it,
    // so what is kept is bounded by the binding layouts the program declares, never by how many it constructs.
    private Dictionary<string, ScratchRegion>? _scratch;

    /// <summary>Gets the scratch regions allocated so far, for tests.</summary>
    internal int ScratchRegions => _scratch?.Count ?? 0;

    /// <summary>
    /// Returns the address of a scratch region of at least <paramref name="bytes"/> bytes aligned to
    /// <paramref name="alignment"/> for <paramref name="export"/>, allocating it on first use. Only inside a call.
    /// </summary>
    /// <exception cref="WasmOutOfMemoryException">The allocator returned 0.</exception>
    /// <exception cref="WasmContractException">The allocator returned an address that is not usable; the instance is faulted.</exception>
    public uint Scratch(string export, int bytes, int alignment)
    {
        _scratch ??= new Dictionary<string, ScratchRegion>(StringComparer.Ordinal);
        if (_scratch.TryGetValue(export, out ScratchRegion region) && region.Bytes >= bytes && region.Alignment >= alignment)
        {
            return region.Address;
        }

        uint address = AllocateRetained(bytes, alignment, $"the scratch values of export '{export}'");
        _scratch[export] = new ScratchRegion(address, bytes, alignment);
        return address;
    }

    /// <summary>
    /// Allocates a block the library keeps for the instance's life: in the ledger, so no later block may overlap it,
    /// but not in the live counters, which count the user's buffers. The allocator is asked for no more alignment
    /// than its contract guarantees; a larger one is reached by padding the block and aligning its start.
    /// </summary>
    private uint AllocateRetained(int bytes, int alignment, string what)
    {
        int asked = Math.Min(alignment, Contract.GuaranteedAlignment);
        ulong request = (ulong)bytes + (ulong)(alignment - asked);
        uint address = CallAlloc(request, asked);
        if (address == 0)
        {
            throw OutOfMemory(request, what);
        }

        CheckBlock(address, request, asked, what);
        if (_pin is not null)
        {
            CallPin(address);
        }

        return (address + (uint)alignment - 1) & (uint)-alignment;
    }

    private readonly struct ScratchRegion
    {
        public ScratchRegion(uint address, int bytes, int alignment) => (Address, Bytes, Alignment) = (address, bytes, alignment);

        public uint Address { get; }

        public int Bytes { get; }

        public int Alignment { get; }
    }
}
