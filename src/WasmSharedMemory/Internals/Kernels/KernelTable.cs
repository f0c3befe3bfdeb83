using System;
using System.Linq;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// Every kernel of the kernel module, one row each. A kernel is one line of <c>rust/src/kernels.rs</c>, one row
/// here and its public method on <see cref="ISharedMemoryModule"/>; the tests' theory data, the fuzz model and
/// the stress mix enumerate <see cref="All"/>.
/// </summary>
internal static class KernelTable
{
    public static readonly KernelDescriptor MultiplySingle = new(0, "Multiply", "multiply_f32", typeof(float), KernelShape.ElementWise);
    public static readonly KernelDescriptor MultiplyDouble = new(1, "Multiply", "multiply_f64", typeof(double), KernelShape.ElementWise);
    public static readonly KernelDescriptor MultiplyInt32 = new(2, "Multiply", "multiply_i32", typeof(int), KernelShape.ElementWise);
    public static readonly KernelDescriptor AddSingle = new(3, "Add", "add_f32", typeof(float), KernelShape.ElementWise);
    public static readonly KernelDescriptor AddDouble = new(4, "Add", "add_f64", typeof(double), KernelShape.ElementWise);
    public static readonly KernelDescriptor AddInt32 = new(5, "Add", "add_i32", typeof(int), KernelShape.ElementWise);
    public static readonly KernelDescriptor DotSingleChunks = new(8, "Dot", "dot_f32_chunks", typeof(float), KernelShape.ChunkSums);
    public static readonly KernelDescriptor DotDoubleChunks = new(9, "Dot", "dot_f64_chunks", typeof(double), KernelShape.ChunkSums);
    public static readonly KernelDescriptor DotSingle = new(6, "Dot", "dot_f32", typeof(float), KernelShape.Reduction, DotSingleChunks);
    public static readonly KernelDescriptor DotDouble = new(7, "Dot", "dot_f64", typeof(double), KernelShape.Reduction, DotDoubleChunks);

    /// <summary>Gets every row with a public method, in <see cref="KernelDescriptor.Index"/> order.</summary>
    public static KernelDescriptor[] All { get; } = Checked(MultiplySingle, MultiplyDouble, MultiplyInt32, AddSingle, AddDouble, AddInt32, DotSingle, DotDouble);

    /// <summary>Gets <see cref="All"/> and then the reductions' chunk-sum exports, which only a parallel split calls: every export a module may bind.</summary>
    public static KernelDescriptor[] Bindable { get; } = Checked(All.Concat(new[] { DotSingleChunks, DotDoubleChunks }).ToArray());

    private static KernelDescriptor[] Checked(params KernelDescriptor[] rows)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Index != i)
            {
                throw new InvalidOperationException($"Kernel row {rows[i]} has index {rows[i].Index} but stands at {i}.");
            }
        }

        return rows;
    }
}
