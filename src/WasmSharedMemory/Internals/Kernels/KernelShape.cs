namespace WasmSharedMemory.Internals.Kernels;

/// <summary>How a kernel export takes its operands.</summary>
internal enum KernelShape
{
    /// <summary><c>(i32 n, i32 dst, i32 a, i32 b) -> ()</c>: <c>dst[i] = a[i] op b[i]</c>; <c>dst</c> may be <c>a</c> or <c>b</c>.</summary>
    ElementWise,

    /// <summary><c>(i32 n, i32 a, i32 b) -> T</c>: one value of the element type from both operands.</summary>
    Reduction,

    /// <summary>
    /// <c>(i32 n, i32 a, i32 b, i32 sums) -> ()</c>: a reduction's partial result of each chunk, written in order
    /// from <c>sums</c>, so a parallel module can split it across instances and combine the parts as the kernel would.
    /// </summary>
    ChunkSums,
}
