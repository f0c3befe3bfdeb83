using System;
using System.Linq;
using System.Runtime.InteropServices;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Tests;

/// <summary>
/// What must hold for every build of the kernel module, with one instance and with several over a shared memory;
/// written once, run by <see cref="SimdModuleTests"/>, <see cref="ScalarModuleTests"/>, <see cref="ParallelSimdModuleTests"/>
/// and <see cref="ParallelScalarModuleTests"/>. The parallel runs split every call that can be split (see
/// <see cref="ParallelTuning.SplitEverything"/>). Every test ends with a leak check, of <see cref="Module"/> and of
/// every other module the test loads (<see cref="LeakCheckedTests"/>).
/// </summary>
public abstract partial class SharedMemoryModuleSuite : LeakCheckedTests
{
    private readonly int _parallelism;

    protected SharedMemoryModuleSuite(ModuleVariant variant, int parallelism = 1)
    {
        _parallelism = parallelism;
        Module = LoadAnother(variant);
        Assert.Equal(variant, Module.Variant);
        Assert.Equal(parallelism, Module.Parallelism);
    }

    // (1 << 14) + 13 and + 2: blocks of 64 KiB and more are 64-byte aligned, so the SIMD kernels take their
    // eight-vectors-per-step path and then finish with a vector and scalar tail.
    public static TheoryData<int> Lengths => new() { 0, 1, 3, 4, 15, 16, 1023, 1024, (1 << 14) + 2, (1 << 14) + 13, 1 << 20 };

    public static TheoryData<int, InPlace> LengthsAndPlacement
    {
        get
        {
            var data = new TheoryData<int, InPlace>();
            foreach (int length in Lengths)
            {
                foreach (InPlace placement in Enum.GetValues<InPlace>())
                {
                    data.Add(length, placement);
                }
            }

            return data;
        }
    }

    public enum InPlace
    {
        No,
        OverLeft,
        OverRight,
    }

    protected ISharedMemoryModule Module { get; }

    /// <summary>Loads another module like <see cref="Module"/>: the same build and parallelism, split the same way.</summary>
    protected ISharedMemoryModule LoadAnother(ModuleVariant variant) =>
        ParallelTuning.SplitEverything(Load(variant, _parallelism == 1 ? null : new SharedMemoryOptions { Parallelism = _parallelism }));

    /// <summary>Disposes <see cref="Module"/>, then fails the test if it or any other module it loaded still counts a live buffer.</summary>
    public override void Dispose()
    {
        Module.Dispose();
        base.Dispose();
    }

    [Fact]
    public void Multiply_BlogExample_GivesTheSquaresOfOneToSixteen()
    {
        using WasmBuffer<float> a = Module.Allocate<float>(16);
        using WasmBuffer<float> b = Module.Allocate<float>(16);
        using WasmBuffer<float> product = Module.Allocate<float>(16);
        Span<float> x = a.Span, y = b.Span;
        for (int i = 0; i < x.Length; i++) { x[i] = i + 1; y[i] = i + 1; }

        Module.Multiply(a, b, product);

        Assert.Equal(Enumerable.Range(1, 16).Select(i => (float)(i * i)), product.ToArray());
    }

    /// <summary>Every element-wise kernel of the table, at every length, fresh and in place.</summary>
    public static TheoryData<string, int, InPlace> ElementWiseKernels
    {
        get
        {
            var data = new TheoryData<string, int, InPlace>();
            foreach (KernelCase kernel in KernelCases.Of(typeof(ElementWiseCase<>)))
            {
                foreach (int length in Lengths)
                {
                    foreach (InPlace placement in Enum.GetValues<InPlace>())
                    {
                        data.Add(kernel.Descriptor.Export, length, placement);
                    }
                }
            }

            return data;
        }
    }

    /// <summary>Every reduction of the table, at every length and around the 4096-element chunks it sums in.</summary>
    public static TheoryData<string, int> Reductions
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (KernelCase kernel in KernelCases.Of(typeof(DotCase<>)))
            {
                foreach (int length in Lengths.Concat(new[] { 15, 17, 4095, 4096, 4097, 3 * 4096 + 5 }).Distinct())
                {
                    data.Add(kernel.Descriptor.Export, length);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ElementWiseKernels))]
    public void ElementWiseKernel_IsBitIdenticalToAPlainLoop(string kernel, int length, InPlace placement)
    {
        switch (KernelCases.Named(kernel))
        {
            case ElementWiseCase<float> single:
                AssertMatchesLoop(single, length, placement, TestData.Singles);
                break;
            case ElementWiseCase<double> @double:
                AssertMatchesLoop(@double, length, placement, TestData.Doubles);
                break;
            case ElementWiseCase<int> int32:
                AssertMatchesLoop(int32, length, placement, TestData.Int32s);
                break;
            default:
                throw new NotSupportedException(kernel);
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Dot_IsBitIdenticalToTheDocumentedOrder(string kernel, int length)
    {
        switch (KernelCases.Named(kernel))
        {
            case DotCase<float> single:
                AssertDotMatches(single, length, TestData.BoundedSingles);
                break;
            case DotCase<double> @double:
                AssertDotMatches(@double, length, TestData.BoundedDoubles);
                break;
            default:
                throw new NotSupportedException(kernel);
        }
    }

    [Fact]
    public void Dot_OfEmptyBuffers_IsPositiveZero()
    {
        using WasmBuffer<double> empty = Module.Allocate<double>(0);

        Assert.Equal(0x0L, BitConverter.DoubleToInt64Bits(Module.Dot(empty, empty)));
    }

    [Fact]
    public void Dot_LengthsDiffer_ThrowsNamingTheOperand()
    {
        using WasmBuffer<float> a = Module.Allocate<float>(4);
        using WasmBuffer<float> b = Module.Allocate<float>(5);

        Assert.Equal("right", Assert.Throws<ArgumentException>(() => Module.Dot(a, b)).ParamName);
    }

    [Fact]
    public void Span_IsAViewOfLinearMemoryNotACopy()
    {
        using WasmBuffer<int> buffer = Module.Allocate<int>(64);
        if (Module.Parallelism > 1)
        {
            // The memory is imported, not exported: the instances see the span's writes, and the span theirs.
            using WasmBuffer<int> zeros = Module.Allocate<int>(64);
            zeros.Span.Clear();
            buffer.Span.Fill(0x12345678);
            Module.Add(buffer, zeros, zeros);
            Assert.All(zeros.ToArray(), value => Assert.Equal(0x12345678, value));
            return;
        }

        Memory memory = Module.Host.Guest.Instance.GetMemory("memory")!;

        buffer.Span.Fill(0x12345678);
        Assert.All(memory.GetSpan<int>(buffer.Address, 64).ToArray(), value => Assert.Equal(0x12345678, value));

        memory.GetSpan<int>(buffer.Address, 64)[63] = -7;
        Assert.Equal(-7, buffer.Span[63]);
    }

    [Fact]
    public void Allocate_Zero_GivesAValidEmptyBuffer()
    {
        using WasmBuffer<double> empty = Module.Allocate<double>(0);

        Assert.Equal(0, empty.Length);
        Assert.Equal(0, empty.ByteLength);
        Assert.True(empty.Span.IsEmpty);
        Assert.Empty(empty.ToArray());
        Assert.NotEqual(0u, empty.Address);
        Assert.Equal(0u, empty.Address % 16);
        Module.Multiply(empty, empty, empty);
        Assert.Equal(1, Module.LiveBuffers);
        Assert.Equal(0, Module.LiveBytes);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Allocate_ReturnsAlignedNonOverlappingBlocks(int length)
    {
        using WasmBuffer<byte> a = Module.Allocate<byte>(length);
        using WasmBuffer<double> b = Module.Allocate<double>(length);
        using WasmBuffer<Vector3> c = Module.Allocate<Vector3>(length);

        Assert.Equal((long)length * 12, c.ByteLength);
        foreach (var (address, byteLength) in new[] { (a.Address, a.ByteLength), (b.Address, b.ByteLength), (c.Address, c.ByteLength) })
        {
            // Blocks of 64 KiB and more start on a cache line, which the SIMD kernels' fast path needs.
            uint alignment = byteLength >= 64 * 1024 ? 64u : 16u;
            Assert.Equal(0u, address % alignment);
        }

        if (length > 0)
        {
            var blocks = new[] { (a.Address, a.ByteLength), (b.Address, b.ByteLength), (c.Address, c.ByteLength) }.OrderBy(x => x.Address).ToArray();
            Assert.True(blocks[0].Address + blocks[0].ByteLength <= blocks[1].Address);
            Assert.True(blocks[1].Address + blocks[1].ByteLength <= blocks[2].Address);
        }
    }

    [Fact]
    public void Allocate_StructElements_RoundTripThroughTheSpan()
    {
        using WasmBuffer<Vector3> points = Module.Allocate<Vector3>(5);
        for (int i = 0; i < 5; i++)
        {
            points.Span[i] = new Vector3(i, i * 2, i * 3);
        }

        Assert.Equal(new Vector3(4, 8, 12), points.ToArray()[4]);
        Assert.Equal(60, points.ByteLength);
    }

    [Fact]
    public void LiveCounters_FollowAllocateAndDispose()
    {
        WasmBuffer<float> a = Module.Allocate<float>(100);
        WasmBuffer<double> b = Module.Allocate<double>(3);
        Assert.Equal(2, Module.LiveBuffers);
        Assert.Equal(424, Module.LiveBytes);

        a.Dispose();
        Assert.Equal(1, Module.LiveBuffers);
        Assert.Equal(24, Module.LiveBytes);

        b.Dispose();
        Assert.Equal(0, Module.LiveBuffers);
        Assert.Equal(0, Module.LiveBytes);
    }

    [Fact]
    public void Dispose_ReturnsTheBlockToTheGuestAllocator()
    {
        uint first;
        using (WasmBuffer<float> buffer = Module.Allocate<float>(4096))
        {
            first = buffer.Address;
        }

        using WasmBuffer<float> again = Module.Allocate<float>(4096);
        Assert.Equal(first, again.Address);
    }

    [Fact]
    public void Dispose_Twice_IsNoOp()
    {
        WasmBuffer<int> buffer = Module.Allocate<int>(8);
        buffer.Dispose();
        buffer.Dispose();

        Assert.True(buffer.IsDisposed);
        Assert.Equal(0, Module.LiveBuffers);
    }

    [Fact]
    public void Buffer_AfterDispose_EveryMemberThrowsObjectDisposed()
    {
        WasmBuffer<int> buffer = Module.Allocate<int>(8);
        buffer.Dispose();

        AssertEveryMemberThrowsDisposed(buffer);
    }

    [Fact]
    public void Buffer_AfterModuleDispose_EveryMemberThrowsAndDisposeIsANoOp()
    {
        ISharedMemoryModule module = LoadAnother(Module.Variant);
        WasmBuffer<int> buffer = module.Allocate<int>(8);
        module.Dispose();

        Assert.True(buffer.IsDisposed);
        AssertEveryMemberThrowsDisposed(buffer);
        var ex = Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Contains("module", ex.Message);

        buffer.Dispose(); // would crash the process if it called into the dead store
        buffer.Dispose();
        Assert.Equal(0, module.LiveBuffers);
    }

    [Fact]
    public void Module_AfterDispose_ThrowsObjectDisposedAndDisposeTwiceIsNoOp()
    {
        ISharedMemoryModule module = LoadAnother(Module.Variant);
        using WasmBuffer<float> mine = Module.Allocate<float>(1);
        module.Dispose();
        module.Dispose();

        Assert.Throws<ObjectDisposedException>(() => module.Allocate<float>(1));
        Assert.Throws<ObjectDisposedException>(() => module.MemoryBytes);
        Assert.Throws<ObjectDisposedException>(() => module.Allocate<float>(0));
    }

    [Fact]
    public void Multiply_BufferOfAnotherModule_ThrowsArgumentAndWritesNothing()
    {
        using ISharedMemoryModule other = LoadAnother(Module.Variant);
        using WasmBuffer<float> mine = Module.Allocate<float>(4);
        using WasmBuffer<float> theirs = other.Allocate<float>(4);
        using WasmBuffer<float> destination = Module.Allocate<float>(4);
        mine.Span.Fill(3);
        theirs.Span.Fill(5);
        destination.Span.Fill(-1);

        var ex = Assert.Throws<ArgumentException>(() => Module.Multiply(mine, theirs, destination));
        Assert.Equal("right", ex.ParamName);
        Assert.Throws<ArgumentException>(() => Module.Multiply(mine, mine, theirs));
        Assert.Throws<ArgumentException>(() => other.Multiply(mine, theirs, theirs));

        Assert.All(destination.ToArray(), value => Assert.Equal(-1, value));
        Assert.All(theirs.ToArray(), value => Assert.Equal(5, value));
    }

    [Fact]
    public void Multiply_DifferentLengths_ThrowsArgumentAndWritesNothing()
    {
        using WasmBuffer<int> left = Module.Allocate<int>(8);
        using WasmBuffer<int> right = Module.Allocate<int>(8);
        using WasmBuffer<int> shortDestination = Module.Allocate<int>(7);
        using WasmBuffer<int> longDestination = Module.Allocate<int>(9);
        left.Span.Fill(2);
        right.Span.Fill(3);
        shortDestination.Span.Fill(-1);
        longDestination.Span.Fill(-1);

        var ex = Assert.Throws<ArgumentException>(() => Module.Multiply(left, right, shortDestination));
        Assert.Equal("destination", ex.ParamName);
        Assert.Throws<ArgumentException>(() => Module.Multiply(left, right, longDestination));
        Assert.Throws<ArgumentException>(() => Module.Multiply(left, longDestination, left));

        Assert.All(shortDestination.ToArray(), value => Assert.Equal(-1, value));
        Assert.All(longDestination.ToArray(), value => Assert.Equal(-1, value));
        Assert.All(left.ToArray(), value => Assert.Equal(2, value));
    }

    [Fact]
    public void Multiply_NullOrDisposedOperand_Throws()
    {
        using WasmBuffer<double> live = Module.Allocate<double>(2);
        WasmBuffer<double> disposed = Module.Allocate<double>(2);
        disposed.Dispose();

        Assert.Equal("left", Assert.Throws<ArgumentNullException>(() => Module.Multiply(null!, live, live)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => Module.Multiply(live, live, null!)).ParamName);
        Assert.Equal("right", Assert.Throws<ObjectDisposedException>(() => Module.Multiply(live, disposed, live)).ObjectName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Allocate_NegativeLength_ThrowsArgumentOutOfRange(int length)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Module.Allocate<float>(length));
        Assert.Equal("length", ex.ParamName);
        Assert.Equal(0, Module.LiveBuffers);
    }

    [Fact]
    public void Allocate_MoreThan4GiB_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Module.Allocate<double>(int.MaxValue));
        Assert.Contains("4 GiB", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Module.Allocate<long>(1 << 29)); // exactly 4 GiB
        Assert.Throws<ArgumentOutOfRangeException>(() => Module.Allocate<Vector3>(0x1555_5556));
    }

    [Fact]
    public void Allocate_NearlyAllOfTheAddressSpace_ThrowsOutOfMemoryAndStaysUsable()
    {
        var ex = Assert.Throws<WasmOutOfMemoryException>(() => Module.Allocate<float>(0x3FFF_FFFF));
        Assert.Equal(0xFFFF_FFFCL, ex.RequestedBytes);
        Assert.Contains("4294967292 bytes", ex.Message);
        Assert.False(Module.IsFaulted);

        using WasmBuffer<float> small = Module.Allocate<float>(16);
        Assert.Equal(1, Module.LiveBuffers);
    }

    [Fact]
    public void AsSpan_GivesTheRequestedSlice()
    {
        using WasmBuffer<int> buffer = Module.Allocate<int>(10);
        for (int i = 0; i < 10; i++) buffer.Span[i] = i;

        Assert.Equal(new[] { 3, 4, 5 }, buffer.AsSpan(3, 3).ToArray());
        Assert.True(buffer.AsSpan(10, 0).IsEmpty);
        buffer.AsSpan(9, 1)[0] = 99;
        Assert.Equal(99, buffer.Span[9]);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 11)]
    [InlineData(10, 1)]
    [InlineData(5, -1)]
    [InlineData(int.MaxValue, 2)]
    [InlineData(1, int.MaxValue)]
    public void AsSpan_RangeOutsideTheBuffer_ThrowsArgumentOutOfRange(int start, int length)
    {
        using WasmBuffer<int> buffer = Module.Allocate<int>(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.AsSpan(start, length));
    }

    [Fact]
    public void CopyFrom_CopiesIntoTheStartAndRejectsALongerSource()
    {
        using WasmBuffer<short> buffer = Module.Allocate<short>(4);
        buffer.Span.Fill(-1);

        buffer.CopyFrom(new short[] { 1, 2, 3 });
        Assert.Equal(new short[] { 1, 2, 3, -1 }, buffer.ToArray());

        var ex = Assert.Throws<ArgumentException>(() => buffer.CopyFrom(new short[] { 9, 9, 9, 9, 9 }));
        Assert.Equal("source", ex.ParamName);
        Assert.Equal(new short[] { 1, 2, 3, -1 }, buffer.ToArray());
    }

    [Fact]
    public void CopyTo_CopiesOutAndRejectsAShorterDestination()
    {
        using WasmBuffer<long> buffer = Module.Allocate<long>(3);
        buffer.CopyFrom(new long[] { long.MinValue, 0, long.MaxValue });

        var target = new long[4];
        buffer.CopyTo(target);
        Assert.Equal(new[] { long.MinValue, 0, long.MaxValue, 0 }, target);

        var tooShort = new long[] { 7, 7 };
        var ex = Assert.Throws<ArgumentException>(() => buffer.CopyTo(tooShort));
        Assert.Equal("destination", ex.ParamName);
        Assert.Equal(new long[] { 7, 7 }, tooShort);
    }

    [Fact]
    public void SpanAndMultiply_AllocateNothingOnTheManagedHeap()
    {
        using WasmBuffer<float> a = Module.Allocate<float>(1024);
        using WasmBuffer<float> b = Module.Allocate<float>(1024);
        a.Span.Fill(1.5f);
        b.Span.Fill(2f);
        Module.Multiply(a, b, a); // first call JITs

        long before = GC.GetAllocatedBytesForCurrentThread();
        float sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            Module.Multiply(b, b, a);
            sum += a.Span[i];
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(4000f, sum);
    }

    private static void AssertEveryMemberThrowsDisposed(WasmBuffer<int> buffer)
    {
        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.ByteLength);
        Assert.Throws<ObjectDisposedException>(() => buffer.Address);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.AsSpan(0, 1).Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.CopyFrom(new int[1]));
        Assert.Throws<ObjectDisposedException>(() => buffer.CopyTo(new int[8]));
        Assert.Throws<ObjectDisposedException>(() => buffer.ToArray());
        Assert.Contains("disposed", buffer.ToString());
    }

    private void AssertMatchesLoop<T>(ElementWiseCase<T> kernel, int length, InPlace placement, Func<int, int, T[]> data)
        where T : unmanaged
    {
        T[] left = data(length, 1), right = data(length, 2);
        T[] expected = kernel.Expected(left, right);

        using WasmBuffer<T> a = Module.Allocate<T>(length);
        using WasmBuffer<T> b = Module.Allocate<T>(length);
        using WasmBuffer<T> separate = Module.Allocate<T>(length);
        a.CopyFrom(left);
        b.CopyFrom(right);
        WasmBuffer<T> destination = placement switch
        {
            InPlace.OverLeft => a,
            InPlace.OverRight => b,
            _ => separate,
        };

        kernel.Run(Module, a, b, destination);

        Assert.True(
            MemoryMarshal.AsBytes(destination.Span).SequenceEqual(MemoryMarshal.AsBytes(expected.AsSpan())),
            $"{Module.Variant} {kernel} × {length} ({placement}) differs from the plain loop.");
        if (placement != InPlace.OverRight)
        {
            Assert.True(MemoryMarshal.AsBytes(b.Span).SequenceEqual(MemoryMarshal.AsBytes(right.AsSpan())), "right input changed");
        }
    }

    private void AssertDotMatches<T>(DotCase<T> kernel, int length, Func<int, int, T[]> data)
        where T : unmanaged
    {
        T[] left = data(length, 1), right = data(length, 2);
        using WasmBuffer<T> a = Module.Allocate<T>(length);
        using WasmBuffer<T> b = Module.Allocate<T>(length);
        a.CopyFrom(left);
        b.CopyFrom(right);

        T actual = kernel.Run(Module, a, b);

        T expected = kernel.Expected(left, right);
        Assert.True(
            MemoryMarshal.AsBytes(new[] { actual }.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(new[] { expected }.AsSpan())),
            $"{Module.Variant} {kernel} × {length}: {actual} differs from the documented order's {expected}.");
        Assert.Equal(left, a.ToArray());
    }
}

/// <summary>Runs the suite against the SIMD build.</summary>
public sealed class SimdModuleTests : SharedMemoryModuleSuite
{
    public SimdModuleTests()
        : base(ModuleVariant.Simd)
    {
    }
}

/// <summary>Runs the suite against the scalar build.</summary>
public sealed class ScalarModuleTests : SharedMemoryModuleSuite
{
    public ScalarModuleTests()
        : base(ModuleVariant.Scalar)
    {
    }
}

/// <summary>Runs the suite against two instances of the SIMD build over one shared memory, every call split.</summary>
public sealed class ParallelSimdModuleTests : SharedMemoryModuleSuite
{
    public ParallelSimdModuleTests()
        : base(ModuleVariant.Simd, parallelism: 2)
    {
    }
}

/// <summary>Runs the suite against two instances of the scalar build over one shared memory, every call split.</summary>
public sealed class ParallelScalarModuleTests : SharedMemoryModuleSuite
{
    public ParallelScalarModuleTests()
        : base(ModuleVariant.Scalar, parallelism: 2)
    {
    }
}
