namespace WasmSharedMemory.Internals.Kernels;

/// <summary>What one parameter of a kernel export (after its element count <c>n</c>) is, which says how a call fills it and how a split call advances it.</summary>
internal enum KernelOperandKind
{
    /// <summary>A buffer the kernel reads: an <c>i32</c> address, advanced to the block's first element.</summary>
    Source,

    /// <summary>
    /// A buffer the kernel writes, element <c>i</c> from element <c>i</c> of the sources only: an <c>i32</c> address,
    /// advanced like a source. It may be one of the sources (in place); it is never partly over one, since buffers
    /// come from one allocator.
    /// </summary>
    Destination,

    /// <summary>A value of the row's element type, the same for every element and every block.</summary>
    Scalar,

    /// <summary>
    /// Where a reduction writes one partial result per chunk of <see cref="KernelTable.DotChunk"/> elements: an
    /// <c>i32</c> address of the host's scratch (never a caller's buffer), advanced to the block's first chunk.
    /// </summary>
    ChunkSums,
}
