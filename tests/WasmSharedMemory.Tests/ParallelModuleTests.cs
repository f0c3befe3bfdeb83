using System;
using System.Linq;
using System.Runtime.InteropServices;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Native;
using WasmSharedMemory.Internals.Parallel;

namespace WasmSharedMemory.Tests;

/// <summary>
/// What only a parallel module (<see cref="SharedMemoryOptions.Parallelism"/> above 1) has: the option's checks,
/// the workers that run parts of a call, a fault from any instance, the memory's maximum as the limit, and a new
/// instance over live memory. <see cref="ParallelSimdModuleTests"/> runs the whole suite on parallel modules.
/// </summary>
public sealed class ParallelModuleTests : LeakCheckedTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(SharedMemoryModule.MaxParallelism + 1)]
    public void Load_ParallelismOutsideOneTo1024_ThrowsArgumentOutOfRangeNamingIt(int parallelism)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = parallelism }));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("Parallelism", ex.Message);
        Assert.Equal(parallelism, ex.ActualValue);
    }

    [Fact]
    public void Parallelism_DefaultsToOneAndReportsWhatWasAskedFor()
    {
        Assert.Equal(1, new SharedMemoryOptions().Parallelism);
        using ISharedMemoryModule single = Load(ModuleVariant.Simd);
        using ISharedMemoryModule three = Load(ModuleVariant.Auto, new SharedMemoryOptions { Parallelism = 3 });

        Assert.Equal(1, single.Parallelism);
        Assert.Equal(3, three.Parallelism);
        Assert.Equal(ModuleVariant.Simd, three.Variant);
        Assert.Equal(2, ((KernelModule)three).Crew!.LiveWorkerThreads);
    }

    [Fact]
    public void Load_OnAnotherWasmtimeVersion_ThrowsNotSupportedSayingWhy()
    {
        var catalog = new ModuleCatalog { ParallelBlockerForTests = NativeBoundary.VersionBlocker("49.0.0") };

        var ex = Assert.Throws<NotSupportedException>(() => Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Scalar, new SharedMemoryOptions { Parallelism = 2 })));

        Assert.Contains("Parallelism = 2", ex.Message);
        Assert.Contains("Wasmtime.Dotnet 49.0.0 is loaded", ex.Message);
        Assert.Contains(NativeBoundary.PinnedVersion, ex.Message);
        using KernelModule single = Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Scalar, null));
        Assert.Equal(1, single.Parallelism);
    }

    [Fact]
    public void SharedMemories_AreAllowedOnThePinnedVersionEvenWithTheNativeCallPathOff()
    {
        Assert.Null(NativeBoundary.VersionBlocker(NativeBoundary.PinnedVersion));
        Assert.Null(NativeBoundary.SharedMemoryBlocker);
    }

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void Workers_RunEveryBlockWhenTheCallerClaimsNone_BitIdenticalToOneInstance(ModuleVariant variant)
    {
        using ISharedMemoryModule single = Load(variant);
        using ISharedMemoryModule parallel = ParallelTuning.SplitEverything(Load(variant, new SharedMemoryOptions { Parallelism = 3 }));
        ((KernelModule)parallel).Crew!.CallerClaims = false;
        const int length = (1 << 18) + 77;
        float[] left = TestData.Singles(length, 1), right = TestData.Singles(length, 2);
        using WasmBuffer<float> a1 = single.Allocate<float>(length), b1 = single.Allocate<float>(length), c1 = single.Allocate<float>(length);
        using WasmBuffer<float> a2 = parallel.Allocate<float>(length), b2 = parallel.Allocate<float>(length), c2 = parallel.Allocate<float>(length);
        a1.CopyFrom(left); a2.CopyFrom(left); b1.CopyFrom(right); b2.CopyFrom(right);

        single.Multiply(a1, b1, c1);
        parallel.Multiply(a2, b2, c2);
        float dot1 = single.Dot(a1, b1), dot2 = parallel.Dot(a2, b2);

        Assert.True(MemoryMarshal.AsBytes(c1.Span).SequenceEqual(MemoryMarshal.AsBytes(c2.Span)));
        Assert.Equal(BitConverter.SingleToInt32Bits(dot1), BitConverter.SingleToInt32Bits(dot2));

        // A scalar operand reaches every worker's blocks as it is, while the buffers move block by block; in place too.
        single.Scale(a1, -0.1f, c1);
        parallel.Scale(a2, -0.1f, c2);
        single.Scale(b1, 3e-5f, b1);
        parallel.Scale(b2, 3e-5f, b2);
        Assert.True(MemoryMarshal.AsBytes(c1.Span).SequenceEqual(MemoryMarshal.AsBytes(c2.Span)));
        Assert.True(MemoryMarshal.AsBytes(b1.Span).SequenceEqual(MemoryMarshal.AsBytes(b2.Span)));
        Assert.Equal(left.Select(x => x * -0.1f), c2.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Dot_SplitAnyWay_IsTheSameBitsEveryTimeAndAsOneInstance(int parallelism)
    {
        using ISharedMemoryModule single = Load(ModuleVariant.Simd);
        using ISharedMemoryModule parallel = ParallelTuning.SplitEverything(Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = parallelism }));
        foreach (int length in new[] { 8192, 8193, 5 * 4096 + 1, 33 * 4096 - 3, 1 << 20 })
        {
            double[] left = TestData.BoundedDoubles(length, 3), right = TestData.BoundedDoubles(length, 4);
            using WasmBuffer<double> a1 = single.Allocate<double>(length), b1 = single.Allocate<double>(length);
            using WasmBuffer<double> a2 = parallel.Allocate<double>(length), b2 = parallel.Allocate<double>(length);
            a1.CopyFrom(left); a2.CopyFrom(left); b1.CopyFrom(right); b2.CopyFrom(right);
            long expected = BitConverter.DoubleToInt64Bits(single.Dot(a1, b1));

            // Which instance sums which chunk varies from run to run; the result must not.
            for (int run = 0; run < 20; run++)
            {
                Assert.Equal(expected, BitConverter.DoubleToInt64Bits(parallel.Dot(a2, b2)));
            }
        }
    }

    [Fact]
    public void TrapInAWorker_FaultsTheModule_AndDisposeStillStopsTheWorkers()
    {
        var module = (KernelModule)ParallelTuning.SplitEverything(Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 }));
        module.Crew!.CallerClaims = false;
        using WasmBuffer<float> real = module.Allocate<float>(1024);

        // A buffer the allocator never made, running past the end of memory: only a worker touches it.
        uint end = (uint)module.MemoryBytes;
        var forged = new WasmBuffer<float>(module.Guest, end - 4096, 4096);
        var ex = Assert.Throws<WasmTrapException>(() => module.Multiply(forged, forged, forged));

        Assert.Equal("multiply_f32", ex.ExportName);
        Assert.True(module.IsFaulted);
        Assert.Throws<WasmModuleFaultedException>(() => module.Multiply(real, real, real));
        module.Dispose();
        Assert.Equal(0, module.Crew.LiveWorkerThreads);
    }

    [Fact]
    public void StreamOfMidSizedCalls_AfterTheWorkersParked_WakesThemAndSplits()
    {
        var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        KernelCrew crew = module.Crew!;
        const int length = 64 * 1024; // 256 KiB per operand: over the awake threshold, under the parked one
        Assert.InRange(length * sizeof(float), crew.Policy.MinSplitBytes, crew.Policy.MinWakeBytes - 1);
        using WasmBuffer<float> a = module.Allocate<float>(length), product = module.Allocate<float>(length);
        a.Span.Fill(3);

        // Idle far past the spin window: the worker parks, and a call under the parked threshold keeps to one instance.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!crew.Workers.All(w => w.IsParked) && DateTime.UtcNow < deadline)
        {
            System.Threading.Thread.Sleep(5);
        }

        long before = crew.SplitCalls;
        module.Multiply(a, a, product);
        Assert.Equal(before, crew.SplitCalls);

        // Back-to-back calls wake it, and once it is awake they split.
        while (crew.SplitCalls == before && DateTime.UtcNow < deadline)
        {
            module.Multiply(a, a, product);
        }

        Assert.True(crew.SplitCalls > before, "a stream of 256 KiB calls never split");
        Assert.All(product.ToArray(), value => Assert.Equal(9f, value));
        module.Dispose();
    }

    [Fact]
    public void Dispose_StopsEveryWorkerThread()
    {
        var module = (KernelModule)Load(ModuleVariant.Scalar, new SharedMemoryOptions { Parallelism = 4 });
        Assert.Equal(3, module.Crew!.LiveWorkerThreads);

        module.Dispose();
        module.Dispose();

        Assert.Equal(0, module.Crew.LiveWorkerThreads);
        Assert.Throws<ObjectDisposedException>(() => module.MemoryBytes);
    }

    [Fact]
    public void MaxMemoryBytes_IsTheSharedMemorysMaximum_AllocationPastItThrowsAndTheModuleStaysUsable()
    {
        const long limit = 2L << 20;
        using ISharedMemoryModule module = Load(ModuleVariant.Simd, new SharedMemoryOptions { MaxMemoryBytes = limit, Parallelism = 2 });
        using WasmBuffer<byte> fits = module.Allocate<byte>(600 * 1024);

        var ex = Assert.Throws<WasmOutOfMemoryException>(() => module.Allocate<byte>(1 << 20));

        Assert.Contains("MaxMemoryBytes", ex.Message);
        Assert.False(module.IsFaulted);
        Assert.True(module.MemoryBytes <= limit);
        using WasmBuffer<byte> small = module.Allocate<byte>(100 * 1024);
        Assert.True(module.MemoryBytes <= limit);
    }

    [Fact]
    public void MaxMemoryBytes_BelowTheSharedModulesInitialMemory_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Load(ModuleVariant.Simd, new SharedMemoryOptions { MaxMemoryBytes = 1 << 20, Parallelism = 2 }));

        Assert.Contains("1114112", ex.Message);
    }

    [Fact]
    public void AnotherInstanceOverLiveMemory_WritesNothingAndSharesTheOneAllocator()
    {
        var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        using WasmBuffer<int> live = module.Allocate<int>(4096);
        for (int i = 0; i < live.Length; i++) live.Span[i] = i * 7 + 1;

        // Two more instances of the module (a crew of three), instantiated over the memory in use.
        using var crew = KernelCrew.Start(ModuleCatalog.Shared.Parallel.Engine, module.Guest.Module, (SharedLinearMemory)module.Guest.Memory, parallelism: 3, heapBase: 0);

        Assert.Equal(Enumerable.Range(0, 4096).Select(i => i * 7 + 1), live.ToArray());
        using WasmBuffer<int> next = module.Allocate<int>(4096);
        Assert.True(next.Address >= live.Address + live.ByteLength || next.Address + next.ByteLength <= live.Address);
        module.Dispose();
    }
}
