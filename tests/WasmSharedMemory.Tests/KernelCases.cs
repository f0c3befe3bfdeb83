using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
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

    /// <summary>Gets the scale kernels of element type <typeparamref name="T"/>.</summary>
    public static ScaleCase<T>[] Scales<T>()
        where T : unmanaged => All.OfType<ScaleCase<T>>().ToArray();

    /// <summary>Gets the cases of one kind, such as <c>typeof(ElementWiseCase&lt;&gt;)</c>, whatever their element type.</summary>
    public static KernelCase[] Of(Type genericCase) => All.Where(c => c.GetType().GetGenericTypeDefinition() == genericCase).ToArray();

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
        "scale_f32" => new ScaleCase<float>(row, (x, k) => x * k, (m, s, k, d) => m.Scale(s, k, d), 1.5f, -0.1f, 0f, -0f, 1f, 1e30f, 1e-30f),
        "scale_f64" => new ScaleCase<double>(row, (x, k) => x * k, (m, s, k, d) => m.Scale(s, k, d), 1.5, -0.1, 0d, -0d, 1d, 1e300, 1e-300),
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

    /// <summary>Runs the kernel through its public method on <paramref name="module"/> and fails unless every element's bits are the reference's.</summary>
    public abstract void AssertPublicMethodMatchesReference(ISharedMemoryModule module, int length, int seed);

    /// <summary>Calls the row's export itself through <paramref name="host"/> (a plain host over a kernel build) and fails unless it computes the reference.</summary>
    public abstract void AssertExportMatchesReference(WasmHost host, int length, int seed);

    public override string ToString() => Descriptor.Export;

    /// <summary>Inputs for element type <typeparamref name="T"/>: edge values, or values whose sums stay finite.</summary>
    protected static T[] Data<T>(int length, int seed, bool bounded = false) => (T[])(object)(
        typeof(T) == typeof(float) ? (bounded ? TestData.BoundedSingles(length, seed) : TestData.Singles(length, seed))
        : typeof(T) == typeof(double) ? (bounded ? TestData.BoundedDoubles(length, seed) : TestData.Doubles(length, seed))
        : typeof(T) == typeof(int) ? TestData.Int32s(length, seed)
        : throw new NotSupportedException(typeof(T).Name));

    protected static void AssertSameBits<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : unmanaged =>
        Assert.True(MemoryMarshal.AsBytes(expected).SequenceEqual(MemoryMarshal.AsBytes(actual)), $"{what} differs from the C# reference.");
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

    public override void AssertPublicMethodMatchesReference(ISharedMemoryModule module, int length, int seed)
    {
        T[] left = Data<T>(length, seed), right = Data<T>(length, seed + 1);
        using WasmBuffer<T> a = module.Allocate<T>(length), b = module.Allocate<T>(length), destination = module.Allocate<T>(length);
        a.CopyFrom(left);
        b.CopyFrom(right);
        Run(module, a, b, destination);
        AssertSameBits<T>(Expected(left, right), destination.Span, $"{module.Variant} {this} × {length}");
    }

    public override void AssertExportMatchesReference(WasmHost host, int length, int seed)
    {
        T[] left = Data<T>(length, seed), right = Data<T>(length, seed + 1);
        using WasmBuffer<T> a = host.Allocate<T>(length), b = host.Allocate<T>(length), destination = host.Allocate<T>(length);
        a.CopyFrom(left);
        b.CopyFrom(right);
        host.GetAction<int, WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>>(Descriptor.Export)(length, destination, a, b);
        AssertSameBits<T>(Expected(left, right), destination.Span, $"export {this} × {length}");
    }
}

/// <summary>A kernel of one buffer and one scalar: <c>destination[i] = Reference(source[i], factor)</c>.</summary>
internal sealed class ScaleCase<T> : KernelCase
    where T : unmanaged
{
    public ScaleCase(KernelDescriptor descriptor, Func<T, T, T> reference, Action<ISharedMemoryModule, WasmBuffer<T>, T, WasmBuffer<T>> run, params T[] factors)
        : base(descriptor)
    {
        Reference = reference;
        Run = run;
        Factors = factors;
    }

    /// <summary>Gets what a plain C# loop computes per element and factor.</summary>
    public Func<T, T, T> Reference { get; }

    /// <summary>Gets how the public API runs the kernel: <c>(module, source, factor, destination)</c>.</summary>
    public Action<ISharedMemoryModule, WasmBuffer<T>, T, WasmBuffer<T>> Run { get; }

    /// <summary>Gets factors that round, overflow, underflow, keep the value, and give zeros of both signs (never NaN from edge inputs).</summary>
    public T[] Factors { get; }

    /// <summary>Applies <see cref="Reference"/> element by element.</summary>
    public T[] Expected(T[] source, T factor)
    {
        var result = new T[source.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Reference(source[i], factor);
        }

        return result;
    }

    public override void AssertPublicMethodMatchesReference(ISharedMemoryModule module, int length, int seed)
    {
        T[] input = Data<T>(length, seed);
        using WasmBuffer<T> source = module.Allocate<T>(length), destination = module.Allocate<T>(length);
        source.CopyFrom(input);
        foreach (T factor in Factors)
        {
            Run(module, source, factor, destination);
            AssertSameBits<T>(Expected(input, factor), destination.Span, $"{module.Variant} {this} × {length} by {factor}");
        }
    }

    public override void AssertExportMatchesReference(WasmHost host, int length, int seed)
    {
        T[] input = Data<T>(length, seed);
        using WasmBuffer<T> source = host.Allocate<T>(length), destination = host.Allocate<T>(length);
        source.CopyFrom(input);
        Action<int, WasmBuffer<T>, WasmBuffer<T>, T> export = host.GetAction<int, WasmBuffer<T>, WasmBuffer<T>, T>(Descriptor.Export);
        foreach (T factor in Factors)
        {
            export(length, destination, source, factor);
            AssertSameBits<T>(Expected(input, factor), destination.Span, $"export {this} × {length} by {factor}");
        }
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

    public override void AssertPublicMethodMatchesReference(ISharedMemoryModule module, int length, int seed)
    {
        T[] left = Data<T>(length, seed, bounded: true), right = Data<T>(length, seed + 1, bounded: true);
        using WasmBuffer<T> a = module.Allocate<T>(length), b = module.Allocate<T>(length);
        a.CopyFrom(left);
        b.CopyFrom(right);
        AssertSameBits<T>(new[] { Expected(left, right) }, new[] { Run(module, a, b) }, $"{module.Variant} {this} × {length}");
    }

    public override void AssertExportMatchesReference(WasmHost host, int length, int seed)
    {
        T[] left = Data<T>(length, seed, bounded: true), right = Data<T>(length, seed + 1, bounded: true);
        using WasmBuffer<T> a = host.Allocate<T>(length), b = host.Allocate<T>(length);
        a.CopyFrom(left);
        b.CopyFrom(right);
        T actual = host.GetFunction<int, WasmBuffer<T>, WasmBuffer<T>, T>(Descriptor.Export)(length, a, b);
        AssertSameBits<T>(new[] { Expected(left, right) }, new[] { actual }, $"export {this} × {length}");
    }
}
