using System;
using System.Linq;
using System.Runtime.InteropServices;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="ISharedMemoryModule.Scale(WasmBuffer{float}, float, WasmBuffer{float})"/> on every build, one instance
/// and split across several (the parallel runs split every call).
/// </summary>
public abstract partial class SharedMemoryModuleSuite
{
    /// <summary>Every scale kernel of the table, at every length, fresh and in place.</summary>
    public static TheoryData<string, int, bool> ScaleKernels
    {
        get
        {
            var data = new TheoryData<string, int, bool>();
            foreach (KernelCase kernel in KernelCases.Of(typeof(ScaleCase<>)))
            {
                foreach (int length in Lengths)
                {
                    data.Add(kernel.Descriptor.Export, length, false);
                    data.Add(kernel.Descriptor.Export, length, true);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ScaleKernels))]
    public void Scale_IsBitIdenticalToACSharpLoop_FreshAndInPlace(string kernel, int length, bool inPlace)
    {
        switch (KernelCases.Named(kernel))
        {
            case ScaleCase<float> single:
                AssertScaleMatchesLoop(single, length, inPlace, TestData.Singles);
                break;
            case ScaleCase<double> @double:
                AssertScaleMatchesLoop(@double, length, inPlace, TestData.Doubles);
                break;
            default:
                throw new NotSupportedException(kernel);
        }
    }

    [Fact]
    public void Scale_LengthsDiffer_ThrowsNamingTheOperandAndWritesNothing()
    {
        using WasmBuffer<float> source = Module.Allocate<float>(8);
        using WasmBuffer<float> shortDestination = Module.Allocate<float>(7);
        using WasmBuffer<float> longDestination = Module.Allocate<float>(9);
        source.Span.Fill(2);
        shortDestination.Span.Fill(-1);
        longDestination.Span.Fill(-1);

        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Module.Scale(source, 3f, shortDestination)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Module.Scale(source, 3f, longDestination)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Module.Scale(shortDestination, 3f, source)).ParamName);

        Assert.All(shortDestination.ToArray(), value => Assert.Equal(-1, value));
        Assert.All(longDestination.ToArray(), value => Assert.Equal(-1, value));
        Assert.All(source.ToArray(), value => Assert.Equal(2, value));
    }

    [Fact]
    public void Scale_BufferOfAnotherModule_ThrowsArgumentAndWritesNothing()
    {
        using ISharedMemoryModule other = LoadAnother(Module.Variant);
        using WasmBuffer<double> mine = Module.Allocate<double>(4);
        using WasmBuffer<double> theirs = other.Allocate<double>(4);
        mine.Span.Fill(3);
        theirs.Span.Fill(5);

        Assert.Equal("source", Assert.Throws<ArgumentException>(() => Module.Scale(theirs, 2, mine)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Module.Scale(mine, 2, theirs)).ParamName);

        Assert.All(mine.ToArray(), value => Assert.Equal(3, value));
        Assert.All(theirs.ToArray(), value => Assert.Equal(5, value));
    }

    [Fact]
    public void Scale_NullOrDisposedOperand_ThrowsNamingIt()
    {
        using WasmBuffer<double> live = Module.Allocate<double>(2);
        WasmBuffer<double> disposed = Module.Allocate<double>(2);
        disposed.Dispose();

        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => Module.Scale(null!, 2, live)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => Module.Scale(live, 2, null!)).ParamName);
        Assert.Equal("source", Assert.Throws<ObjectDisposedException>(() => Module.Scale(disposed, 2, live)).ObjectName);
        Assert.Equal("destination", Assert.Throws<ObjectDisposedException>(() => Module.Scale(live, 2, disposed)).ObjectName);
    }

    [Fact]
    public void Scale_OnADisposedModule_ThrowsObjectDisposed()
    {
        ISharedMemoryModule module = LoadAnother(Module.Variant);
        WasmBuffer<float> buffer = module.Allocate<float>(4);
        module.Dispose();

        Assert.Throws<ObjectDisposedException>(() => module.Scale(buffer, 2f, buffer));
        buffer.Dispose(); // detaches it: the module is gone
    }

    [Fact]
    public void Scale_AllocatesNothingOnTheManagedHeap()
    {
        using WasmBuffer<float> a = Module.Allocate<float>(1024);
        a.Span.Fill(1f);
        Module.Scale(a, 1f, a); // first call JITs

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Module.Scale(a, 1f, a);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(a.ToArray(), value => Assert.Equal(1f, value));
    }

    private void AssertScaleMatchesLoop<T>(ScaleCase<T> kernel, int length, bool inPlace, Func<int, int, T[]> data)
        where T : unmanaged
    {
        T[] input = data(length, 3);
        using WasmBuffer<T> source = Module.Allocate<T>(length);
        using WasmBuffer<T> separate = Module.Allocate<T>(length);
        WasmBuffer<T> destination = inPlace ? source : separate;
        long splitBefore = (Module as KernelModule)?.Crew?.SplitCalls ?? 0;

        foreach (T factor in kernel.Factors)
        {
            source.CopyFrom(input);

            kernel.Run(Module, source, factor, destination);

            Assert.True(
                MemoryMarshal.AsBytes(destination.Span).SequenceEqual(MemoryMarshal.AsBytes(kernel.Expected(input, factor).AsSpan())),
                $"{Module.Variant} {kernel} × {length} by {factor} ({(inPlace ? "in place" : "fresh")}) differs from the C# loop.");
            if (!inPlace)
            {
                Assert.True(MemoryMarshal.AsBytes(source.Span).SequenceEqual(MemoryMarshal.AsBytes(input.AsSpan())), "source changed");
            }
        }

        // The parallel runs split every call that has elements: the factor went to every block unchanged.
        if (Module is KernelModule { Crew: { } crew } && length > 0)
        {
            Assert.Equal(splitBefore + kernel.Factors.Length, crew.SplitCalls);
        }
    }
}
