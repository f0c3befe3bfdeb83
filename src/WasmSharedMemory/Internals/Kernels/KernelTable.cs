using System;
using System.Linq;
using static WasmSharedMemory.Internals.Kernels.KernelOperand;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// Every kernel of the kernel module, one row each, listing its operands. A kernel is one macro line of
/// <c>rust/src/kernels.rs</c>, one row here and its public method on <see cref="ISharedMemoryModule"/>; calls, parallel
/// splits, the tests' theory data, the fuzz model and the stress mix all read the rows. No row states an index: a
/// row's slot among an instance's bound kernels is its place in <see cref="Bindable"/>.
/// </summary>
internal static class KernelTable
{
    /// <summary>Elements per chunk of a dot product: <c>DOT_CHUNK</c> in <c>rust/src/kernels.rs</c>.</summary>
    public const int DotChunk = 4096;

    /// <summary><c>(n, dst, a, b)</c>: <c>destination[i] = left[i] op right[i]</c>; the destination may be either source.</summary>
    private static readonly KernelOperand[] TwoBlocks = { Destination, Left, Right };

    /// <summary><c>(n, dst, a, k)</c>: <c>destination[i] = source[i] op factor</c>; the destination may be the source.</summary>
    private static readonly KernelOperand[] BlockAndScalar = { Destination, Source, Factor };

    /// <summary><c>(n, a, b) -> T</c>: one value from both sources.</summary>
    private static readonly KernelOperand[] TwoSources = { Left, Right };

    public static readonly KernelDescriptor MultiplySingle = new("Multiply", "multiply_f32", typeof(float), TwoBlocks);
    public static readonly KernelDescriptor MultiplyDouble = new("Multiply", "multiply_f64", typeof(double), TwoBlocks);
    public static readonly KernelDescriptor MultiplyInt32 = new("Multiply", "multiply_i32", typeof(int), TwoBlocks);
    public static readonly KernelDescriptor AddSingle = new("Add", "add_f32", typeof(float), TwoBlocks);
    public static readonly KernelDescriptor AddDouble = new("Add", "add_f64", typeof(double), TwoBlocks);
    public static readonly KernelDescriptor AddInt32 = new("Add", "add_i32", typeof(int), TwoBlocks);
    public static readonly KernelDescriptor ScaleSingle = new("Scale", "scale_f32", typeof(float), BlockAndScalar);
    public static readonly KernelDescriptor ScaleDouble = new("Scale", "scale_f64", typeof(double), BlockAndScalar);
    public static readonly KernelDescriptor DotSingle = new("Dot", "dot_f32", typeof(float), TwoSources, result: typeof(float), chunkSums: "dot_f32_chunks");
    public static readonly KernelDescriptor DotDouble = new("Dot", "dot_f64", typeof(double), TwoSources, result: typeof(double), chunkSums: "dot_f64_chunks");

    /// <summary>Gets every row with a public method.</summary>
    public static KernelDescriptor[] All { get; } = { MultiplySingle, MultiplyDouble, MultiplyInt32, AddSingle, AddDouble, AddInt32, ScaleSingle, ScaleDouble, DotSingle, DotDouble };

    /// <summary>Gets <see cref="All"/> and then the reductions' chunk-sum exports, which only a parallel split calls: every export an instance may bind, each at its <see cref="KernelDescriptor.Index"/>.</summary>
    public static KernelDescriptor[] Bindable { get; } = Placed(All.Concat(All.Select(row => row.ChunkSums).OfType<KernelDescriptor>()).ToArray());

    private static KernelDescriptor[] Placed(KernelDescriptor[] rows)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].Place(i);
        }

        if (rows.Select(row => row.Export).Distinct().Count() != rows.Length)
        {
            throw new InvalidOperationException("Two kernel rows name the same export.");
        }

        return rows;
    }
}
