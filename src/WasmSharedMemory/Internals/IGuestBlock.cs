namespace WasmSharedMemory.Internals;

/// <summary>What the heap and the call path need of a buffer, whatever its element type.</summary>
internal interface IGuestBlock
{
    /// <summary>Gets the instance that owns the block, or null once the buffer is disposed.</summary>
    GuestInstance? Owner { get; }

    /// <summary>Gets the block's wasm address.</summary>
    uint BlockAddress { get; }

    /// <summary>Gets the block's size as allocated, in bytes.</summary>
    ulong BlockBytes { get; }

    /// <summary>Gets the alignment the block was allocated with.</summary>
    int BlockAlignment { get; }

    /// <summary>Detaches the buffer from <paramref name="guest"/>; false if it was already detached.</summary>
    bool TryDetach(GuestInstance guest);

    /// <summary>Waits until no call outside the gate uses the block (see <see cref="GuestInstance.TryCallBeside{TCall, TResult}"/>); after <see cref="TryDetach"/>, before the block is freed.</summary>
    void WaitForPins();
}
