using System;
using Wasmtime;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>Loading: variant selection, SIMD fallback, the per-process compile cache and options.</summary>
public sealed class SharedMemoryModuleTests : LeakCheckedTests
{
    [Fact]
    public void Load_Auto_RunsSimdOnThisEngine()
    {
        using ISharedMemoryModule module = Load();
        Assert.Equal(ModuleVariant.Simd, module.Variant);
    }

    [Fact]
    public void Load_Auto_FallsBackToScalarWhereTheEngineHasNoSimd()
    {
        var catalog = new ModuleCatalog(config => config.WithSIMD(false).WithRelaxedSIMD(false, false));

        using KernelModule module = Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Auto, null));
        using WasmBuffer<float> a = module.Allocate<float>(3);
        a.CopyFrom(new[] { 2f, 3f, 4f });
        module.Multiply(a, a, a);

        Assert.Equal(ModuleVariant.Scalar, module.Variant);
        Assert.Equal(new[] { 4f, 9f, 16f }, a.ToArray());
    }

    [Fact]
    public void Load_Simd_WhereTheEngineHasNoSimd_ThrowsNotSupportedSayingSo()
    {
        var catalog = new ModuleCatalog(config => config.WithSIMD(false).WithRelaxedSIMD(false, false));

        var ex = Assert.Throws<NotSupportedException>(() => Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Simd, null)));

        Assert.Contains("SIMD", ex.Message);
        Assert.Contains("ModuleVariant.Scalar", ex.Message);
        Assert.IsAssignableFrom<WasmtimeException>(ex.InnerException);
    }

    [Theory]
    [InlineData((ModuleVariant)3)]
    [InlineData((ModuleVariant)(-1))]
    public void Load_UndefinedVariant_ThrowsArgumentOutOfRange(ModuleVariant variant)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Load(variant));
        Assert.Equal("variant", ex.ParamName);
    }

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void Load_CompilesEachVariantOncePerProcess(ModuleVariant variant)
    {
        ModuleVariant first = variant, second = variant;
        Module compiled = ModuleCatalog.Shared.Resolve(ref first);
        using ISharedMemoryModule a = Load(variant);
        using ISharedMemoryModule b = Load(variant);

        Assert.Same(compiled, ModuleCatalog.Shared.Resolve(ref second));
        Assert.NotSame(a.Host.Guest.Instance, b.Host.Guest.Instance);
    }

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void Load_WithThePinnedWasmtime_CallsKernelsWithoutTheTypedDelegate(ModuleVariant variant)
    {
        // The native path is gated on the pinned Wasmtime.Dotnet version and falls back silently otherwise; this says when it did.
        using var module = (KernelModule)Load(variant);

        Assert.Equal(LibraryBuildTests.ExpectsNativeCalls, module.IsNative(Internals.Kernels.KernelTable.MultiplySingle));
    }

    [Fact]
    public void Load_ModulesHaveSeparateMemories()
    {
        using ISharedMemoryModule a = Load();
        using ISharedMemoryModule b = Load();
        using WasmBuffer<int> x = a.Allocate<int>(4);
        using WasmBuffer<int> y = b.Allocate<int>(4);
        x.Span.Fill(1);
        y.Span.Fill(2);

        Assert.Equal(new[] { 1, 1, 1, 1 }, x.ToArray());
    }

    [Fact]
    public void MaxMemoryBytes_AllocationPastTheLimit_ThrowsOutOfMemoryAndTheModuleStaysUsable()
    {
        const long Limit = 4L << 20;
        using ISharedMemoryModule module = Load(options: new SharedMemoryOptions { MaxMemoryBytes = Limit });

        var ex = Assert.Throws<WasmOutOfMemoryException>(() => module.Allocate<byte>(8 << 20));

        Assert.Equal(8L << 20, ex.RequestedBytes);
        Assert.Contains("8388608 bytes", ex.Message);
        Assert.Contains("MaxMemoryBytes", ex.Message);
        Assert.False(module.IsFaulted);
        Assert.Equal(0, module.LiveBuffers);

        using WasmBuffer<byte> fits = module.Allocate<byte>(2 << 20);
        fits.Span.Fill(7);
        Assert.Equal(1, module.LiveBuffers);
        Assert.True(module.MemoryBytes <= Limit);
        Assert.Throws<WasmOutOfMemoryException>(() => module.Allocate<byte>(3 << 20));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(65536L)]
    [InlineData(-1L)]
    [InlineData((1L << 32) + 1)]
    public void MaxMemoryBytes_OutsideTheModulesRange_ThrowsArgumentOutOfRange(long limit)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Load(options: new SharedMemoryOptions { MaxMemoryBytes = limit }));
        Assert.Contains("MaxMemoryBytes", ex.Message);
    }
}
