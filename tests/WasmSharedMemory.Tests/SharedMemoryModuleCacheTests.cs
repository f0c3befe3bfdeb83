using System;
using System.IO;
using System.Linq;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>The kernel module's opt-in compile cache (<see cref="SharedMemoryOptions.CacheDirectory"/>): a new process (here, a new catalog) loads verified code instead of compiling.</summary>
[Collection(MetricsCollection.Name)]
public sealed class SharedMemoryModuleCacheTests : LeakCheckedTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wsm-kernel-cache-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(ModuleVariant.Simd, 1)]
    [InlineData(ModuleVariant.Scalar, 1)]
    [InlineData(ModuleVariant.Scalar, 2)]
    public void Load_WithCacheDirectory_SecondCatalogLoadsTheVerifiedEntryAndMultiplies(ModuleVariant variant, int parallelism)
    {
        if (parallelism > 1 && ModuleCatalog.Shared.ParallelBlocker is not null)
        {
            return; // no shared memories on this Wasmtime: nothing parallel to cache
        }

        var options = new SharedMemoryOptions { CacheDirectory = _directory, Parallelism = parallelism };
        string name = (parallelism > 1 ? "WasmSharedMemory.shared." : "WasmSharedMemory.") + variant.ToString().ToLowerInvariant();
        using var metrics = new MetricsCollector(name);
        Track(SharedMemoryModule.LoadFrom(new ModuleCatalog(), variant, options)).Dispose();

        using ISharedMemoryModule module = Track(SharedMemoryModule.LoadFrom(new ModuleCatalog(), variant, options));

        Assert.Equal(1, metrics.Sum("wasmsharedmemory.cache.misses"));
        Assert.Equal(1, metrics.Sum("wasmsharedmemory.cache.hits"));
        Assert.Single(Directory.GetFiles(_directory));
        using WasmBuffer<float> a = module.Allocate<float>(16);
        using WasmBuffer<float> product = module.Allocate<float>(16);
        a.Span.Fill(3f);
        module.Multiply(a, a, product);
        Assert.All(product.ToArray(), p => Assert.Equal(9f, p));
        module.Host.GetFunction<int>("wsm_abi_version")();
        Assert.Equal(1, metrics.Of("wasmsharedmemory.calls").Count(c => (string?)c.Tags["wasm.export.name"] == "wsm_abi_version"));
    }

    /// <summary>Before the fix the first load threw ArgumentException, and the catalog's Lazy kept it: every later load threw it, options or not.</summary>
    [Theory]
    [MemberData(nameof(CompileCacheTests.UnusableDirectories), MemberType = typeof(CompileCacheTests))]
    public void Load_CacheDirectoryIsNoUsablePath_LoadsAndSoDoesALaterLoadWithoutOptions(string directory)
    {
        var catalog = new ModuleCatalog();
        using (ISharedMemoryModule first = Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Auto, new SharedMemoryOptions { CacheDirectory = directory })))
        {
            Assert.Equal(16, Squares(first));
        }

        using ISharedMemoryModule later = Track(SharedMemoryModule.LoadFrom(catalog, ModuleVariant.Auto, null));
        Assert.Equal(16, Squares(later));
    }

    /// <summary>Multiplies 16 threes by themselves on <paramref name="module"/> and counts the nines.</summary>
    private static int Squares(ISharedMemoryModule module)
    {
        using WasmBuffer<float> a = module.Allocate<float>(16);
        using WasmBuffer<float> product = module.Allocate<float>(16);
        a.Span.Fill(3f);
        module.Multiply(a, a, product);
        return product.ToArray().Count(p => p == 9f);
    }

    public override void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        base.Dispose();
    }
}
