using System;
using System.Collections.Generic;
using System.Linq;
using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The tests' side of <see cref="KernelTable"/>: for every row, how the public API runs it and what a plain .NET
/// loop gives. The suite's theory data, the fuzz model and the thread stress all read this one table, so a
/// kernel added to <see cref="KernelTable"/> without a line here fails <see cref="KernelCasesTests"/>.
/// </summary>
internal static class KernelCases
{
    public static IReadOnlyList<KernelCase> All { get; } = KernelTable.All.Select(Create).ToArray();

    /// <summary>Gets the element-wise kernels of element type <typeparamref name="T"/>.</summary>
    public static ElementWiseCase<T>[] ElementWise<T>()
        where T : unmanaged => All.OfType<ElementWiseCase<T>>().ToArray();

    /// <summary>Gets the case for the kernel named <paramref name="export"/>.</summary>
    public static KernelCase Named(string export) => All.Single(c => c.Descriptor.Export == export);

    private static KernelCase Create(KernelDescriptor row) => row.Export switch
    {
        "multiply_f32" => new ElementWiseCase<float>(row, (x, y) => x * y, (m, a, b, d) => m.Multiply(a, b, d)),
        "multiply_f64" => new ElementWiseCase<double>(row, (x, y) => x * y, (m, a, b, d) => m.Multiply(a, b, d)),
        "multiply_i32" => new ElementWiseCase<int>(row, (x, y) => unchecked(x * y), (m, a, b, d) => m.Multiply(a, b, d)),
        "add_f32" => new ElementWiseCase<float>(row, (x, y) => x + y, (m, a, b, d) => m.Add(a, b, d)),
        "add_f64" => new ElementWiseCase<double>(row, (x, y) => x + y, (m, a, b, d) => m.Add(a, b, d)),
        "add_i32" => new ElementWiseCase<int>(row, (x, y) => unchecked(x + y), (m, a, b, d) => m.Add(a, b, d)),
        "dot_f32" => new DotCase<float>(row, 16, (x, y) => x + y, (x, y) => x * y, (m, a, b) => m.Dot(a, b)),
        "dot_f64" => new DotCase<double>(row, 8, (x, y) => x + y, (x, y) => x * y, (m, a, b) => m.Dot(a, b)),
        _ => throw new InvalidOperationException($"KernelCases has no reference for {row}; add one beside the KernelTable row."),
    };
}

/// <summary>One kernel of <see cref="KernelTable"/> as the tests see it.</summary>
internal abstract class KernelCase
{
    protected KernelCase(KernelDescriptor descriptor) => Descriptor = descriptor;

    public KernelDescriptor Descriptor { get; }

    public override string ToString() => Descriptor.Export;
}

/// <summary>An element-wise kernel: <c>destination[i] = Reference(left[i], right[i])</c>.</summary>
internal sealed class ElementWiseCase<T> : KernelCase
    where T : unmanaged
{
    public ElementWiseCase(KernelDescriptor descriptor, Func<T, T, T> reference, Action<ISharedMemoryModule, WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>> run)
        : base(descriptor)
    {
        Reference = reference;
        Run = run;
    }

    /// <summary>Gets what a plain .NET loop computes per element: IEEE for floating point, wrapping for integers.</summary>
    public Func<T, T, T> Reference { get; }

    /// <summary>Gets how the public API runs the kernel.</summary>
    public Action<ISharedMemoryModule, WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>> Run { get; }

    /// <summary>Applies <see cref="Reference"/> element by element.</summary>
    public T[] Expected(T[] left, T[] right)
    {
        var result = new T[left.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Reference(left[i], right[i]);
        }

        return result;
    }
}

/// <summary>
/// A dot product in the kernels' documented order: chunks of 4096 elements; inside a chunk, element p adds its
/// product into accumulator p mod <see cref="Lanes"/>; the accumulators are combined by halving; the chunk
/// sums are added left to right from +0.
/// </summary>
internal sealed class DotCase<T> : KernelCase
    where T : unmanaged
{
    public const int Chunk = 4096;

    private readonly Func<T, T, T> _add;
    private readonly Func<T, T, T> _multiply;

    public DotCase(KernelDescriptor descriptor, int lanes, Func<T, T, T> add, Func<T, T, T> multiply, Func<ISharedMemoryModule, WasmBuffer<T>, WasmBuffer<T>, T> run)
        : base(descriptor)
    {
        Lanes = lanes;
        _add = add;
        _multiply = multiply;
        Run = run;
    }

    public int Lanes { get; }

    public Func<ISharedMemoryModule, WasmBuffer<T>, WasmBuffer<T>, T> Run { get; }

    public T Expected(T[] left, T[] right)
    {
        T result = default;
        for (int start = 0; start < left.Length; start += Chunk)
        {
            var accumulators = new T[Lanes];
            for (int p = 0; p < Math.Min(Chunk, left.Length - start); p++)
            {
                accumulators[p % Lanes] = _add(accumulators[p % Lanes], _multiply(left[start + p], right[start + p]));
            }

            for (int half = Lanes / 2; half >= 1; half /= 2)
            {
                for (int j = 0; j < half; j++)
                {
                    accumulators[j] = _add(accumulators[j], accumulators[j + half]);
                }
            }

            result = _add(result, accumulators[0]);
        }

        return result;
    }
}
