using System;
using System.Threading;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The kernel module is a <see cref="WasmHost"/>: for both builds and one or two instances, the object
/// <see cref="SharedMemoryModule.Load"/> returns has the host's memory view, adoption, strings and exports, and a
/// disposed module or host is reported by its own name.
/// </summary>
public sealed class SharedMemoryModuleHostTests : LeakCheckedTests
{
    public static TheoryData<ModuleVariant, int> Builds => new()
    {
        { ModuleVariant.Simd, 1 },
        { ModuleVariant.Scalar, 1 },
        { ModuleVariant.Simd, 2 },
        { ModuleVariant.Scalar, 2 },
    };

    [Theory]
    [MemberData(nameof(Builds))]
    public void Load_EveryBuildAndParallelism_ReturnsAWasmHost(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });

        Assert.True(module is WasmHost);
        Assert.Same(module, module.Host);
        Assert.Equal(variant, module.Variant);
        Assert.Equal(parallelism, module.Parallelism);
        Assert.Same(AllocatorContract.WasmSharedMemory, module.Host.Contract);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Memory_OnAKernelModule_SeesWhatABufferHolds(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
        using WasmBuffer<float> values = module.Allocate<float>(4);
        values.CopyFrom(new[] { 1f, 2f, 3f, 4f });

        Span<float> view = module.Host.Memory.GetSpan<float>(values.Address, values.Length);

        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, view.ToArray());
        Assert.Equal(module.MemoryBytes, module.Host.Memory.Length);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void AllocateUtf8_OnAKernelModule_WritesTheBytesAndReadsBack(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });

        using WasmBuffer<byte> text = module.Host.AllocateUtf8("héllo");

        Assert.Equal(7, text.Length);
        Assert.Equal(0, text.Span[6]);
        Assert.Equal("héllo", module.Host.Memory.ReadUtf8(text.Address, text.Length - 1));
        Assert.Equal(1, module.LiveBuffers);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Adopt_OnAKernelModule_TakesABlockItsAllocatorHandedOutAndFreesIt(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
        int address = module.Host.GetFunction<int, int, int>("wsm_alloc")(4 * sizeof(float), sizeof(float));

        WasmBuffer<float> adopted = module.Host.Adopt<float>(unchecked((uint)address), 4);
        adopted.CopyFrom(new[] { 1f, 2f, 3f, 4f });
        module.Multiply(adopted, adopted, adopted);

        Assert.Equal(new[] { 1f, 4f, 9f, 16f }, adopted.ToArray());
        Assert.Equal(1, module.LiveBuffers);
        adopted.Dispose();
        Assert.Equal(0, module.LiveBuffers);
        Assert.False(module.IsFaulted);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void GetFunction_OnAKernelModule_CallsTheExportAsTheKernelMethodDoes(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
        using WasmBuffer<float> values = module.Allocate<float>(100);
        for (int i = 0; i < values.Length; i++) values.Span[i] = i;
        var dot = module.Host.GetFunction<int, WasmBuffer<float>, WasmBuffer<float>, float>("dot_f32");
        var multiply = module.Host.GetAction<int, WasmBuffer<float>, WasmBuffer<float>, WasmBuffer<float>>("multiply_f32");

        Assert.Equal(module.Dot(values, values), dot(values.Length, values, values));
        multiply(values.Length, values, values, values);
        Assert.Equal(81f, values.Span[9]);
    }

    [Fact]
    public void GetAction_OnAKernelModuleWithACancelableToken_ThrowsNotSupportedRatherThanIgnoreIt()
    {
        using ISharedMemoryModule module = Load(ModuleVariant.Simd);
        using var cancellation = new CancellationTokenSource();

        var ex = Assert.Throws<NotSupportedException>(() => module.Host.GetAction<int, int, int, int>("multiply_f32", cancellation.Token));

        Assert.Contains("'multiply_f32'", ex.Message);
        Assert.Contains("CancellationToken", ex.Message);
        Assert.NotNull(module.Host.GetAction<int, int, int, int>("multiply_f32", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Dispose_KernelModule_MembersThrowObjectDisposedNamingISharedMemoryModule(ModuleVariant variant, int parallelism)
    {
        ISharedMemoryModule module = Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
        GuestMemory memory = module.Host.Memory;
        module.Host.Dispose();

        Assert.Equal(nameof(ISharedMemoryModule), Assert.Throws<ObjectDisposedException>(() => module.MemoryBytes).ObjectName);
        Assert.Equal(nameof(ISharedMemoryModule), Assert.Throws<ObjectDisposedException>(() => memory.ReadUtf8(1024, 4)).ObjectName);
        Assert.Equal(nameof(ISharedMemoryModule), Assert.Throws<ObjectDisposedException>(() => module.Allocate<float>(4)).ObjectName);
        module.Dispose(); // again, through the interface: nothing happens
    }

    [Fact]
    public void Dispose_Host_MembersThrowObjectDisposedNamingWasmHost()
    {
        WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc)));
        GuestMemory memory = host.Memory;
        host.Dispose();

        Assert.Equal(nameof(WasmHost), Assert.Throws<ObjectDisposedException>(() => host.MemoryBytes).ObjectName);
        Assert.Equal(nameof(WasmHost), Assert.Throws<ObjectDisposedException>(() => memory.ReadUtf8(1024, 4)).ObjectName);
        Assert.Equal(nameof(WasmHost), Assert.Throws<ObjectDisposedException>(() => host.Allocate<float>(4)).ObjectName);
    }

    [Fact]
    public void Options_MaxMemoryBytes_IsOneLimitBothKindsOfModuleCheckTheSameWay()
    {
        InstanceOptions kernel = new SharedMemoryOptions { MaxMemoryBytes = 1 };
        InstanceOptions host = new WasmHostOptions { MaxMemoryBytes = 1 };

        var kernelEx = Assert.Throws<ArgumentOutOfRangeException>(() => Load(ModuleVariant.Simd, (SharedMemoryOptions)kernel));
        var hostEx = Assert.Throws<ArgumentOutOfRangeException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc), options: (WasmHostOptions)host)));

        Assert.Equal(kernelEx.ParamName, hostEx.ParamName);
        Assert.Contains("MaxMemoryBytes must lie between the module's initial memory", kernelEx.Message);
        Assert.Contains("MaxMemoryBytes must lie between the module's initial memory", hostEx.Message);
    }

    [Fact]
    public void Load_HostModuleDeclaringASharedMemory_SaysWhereTheLibraryMakesSharedMemories()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(
            HostModules.Module(HostModules.CMalloc, memory: """(memory (export "memory") 1 2 shared)"""))));

        Assert.Contains("SharedMemoryOptions.Parallelism", ex.Message);
        Assert.DoesNotContain("unshared linear memory only", ex.Message);
    }
}
