namespace WasmSharedMemory.Internals;

/// <summary>What <see cref="GuestInstance"/> needs of a buffer to free it, whatever its element type.</summary>
internal interface IGuestBlock
{
    /// <summary>Gets the block's wasm address.</summary>
    uint BlockAddress { get; }

    /// <summary>Gets the block's size as allocated, in bytes.</summary>
    ulong BlockBytes { get; }

    /// <summary>Gets the alignment the block was allocated with.</summary>
    int BlockAlignment { get; }

    /// <summary>Detaches the buffer from <paramref name="guest"/>; false if it was already detached.</summary>
    bool TryDetach(GuestInstance guest);
}
