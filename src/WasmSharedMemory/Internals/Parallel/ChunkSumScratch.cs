using System;
using System.Runtime.CompilerServices;

namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// Where a split reduction's blocks write their chunk sums, and how the host adds them. The scratch lies below
/// <c>__heap_base</c>, in the 1 MiB wasm-ld reserves for a shadow stack no code of the shared builds uses
/// (<c>rust/build.sh</c> checks that no function reads or writes a global). The sums are added left to right from
/// zero in the reduction's own result type, which is how <c>dot_*</c> combines them (<c>rust/src/kernels.rs</c>), so
/// the split result is bit-identical to one instance's.
/// </summary>
internal sealed unsafe class ChunkSumScratch
{
    /// <summary>Where the chunk sums start: past the addresses empty buffers report.</summary>
    public const uint Start = 4096;

    private readonly uint _end;

    /// <summary>A scratch from <see cref="Start"/> up to <paramref name="heapBase"/>, the module's <c>__heap_base</c>.</summary>
    public ChunkSumScratch(uint heapBase) => _end = Math.Max(heapBase, Start);

    /// <summary>Gets whether <paramref name="count"/> sums of <paramref name="size"/> bytes each fit.</summary>
    public bool Holds(int count, int size) => (ulong)count * (ulong)size <= _end - Start;

    /// <summary>
    /// <c>r = 0; r = r + sums[c]</c> for each chunk in order, in <typeparamref name="T"/>: IEEE addition for
    /// <see cref="float"/> and <see cref="double"/>, wrapping for <see cref="int"/> and <see cref="long"/>.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is another type: a row whose result it is cannot be split.</exception>
    public static T SumLeftToRight<T>(byte* memoryBase, int count)
        where T : unmanaged
    {
        void* sums = memoryBase + Start;
        if (typeof(T) == typeof(float))
        {
            float r = 0f;
            for (int i = 0; i < count; i++)
            {
                r += ((float*)sums)[i];
            }

            return Unsafe.As<float, T>(ref r);
        }

        if (typeof(T) == typeof(double))
        {
            double r = 0d;
            for (int i = 0; i < count; i++)
            {
                r += ((double*)sums)[i];
            }

            return Unsafe.As<double, T>(ref r);
        }

        if (typeof(T) == typeof(int))
        {
            int r = 0;
            for (int i = 0; i < count; i++)
            {
                r = unchecked(r + ((int*)sums)[i]);
            }

            return Unsafe.As<int, T>(ref r);
        }

        if (typeof(T) == typeof(long))
        {
            long r = 0;
            for (int i = 0; i < count; i++)
            {
                r = unchecked(r + ((long*)sums)[i]);
            }

            return Unsafe.As<long, T>(ref r);
        }

        throw new NotSupportedException($"A split reduction cannot add chunk sums of {typeof(T).Name}.");
    }
}
