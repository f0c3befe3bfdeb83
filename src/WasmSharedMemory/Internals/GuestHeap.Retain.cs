namespace WasmSharedMemory.Internals;

/// <summary>Blocks the library keeps for itself for an instance's life.</summary>
internal sealed partial class GuestHeap
{
    /// <summary>
    /// Keeps <paramref name="block"/>, which the library allocated for itself (a generated binding's scratch), for the
    /// instance's life: detached from its buffer and out of the live counters, which count the user's buffers, but
    /// still in the ledger, so no block the allocator returns later may overlap it. Only inside a call.
    /// </summary>
    /// <returns>The block's address.</returns>
    public uint Retain(IGuestBlock block)
    {
        uint address = block.BlockAddress;
        if (block.TryDetach(_guest))
        {
            _liveBuffers--;
            _liveBytes -= (long)block.BlockBytes;
        }

        return address;
    }
}
