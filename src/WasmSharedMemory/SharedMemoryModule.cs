using System;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>Loads the kernel module: the entry point of the library.</summary>
public static class SharedMemoryModule
{
    /// <summary>Loads a new instance of the kernel module, with its own linear memory.</summary>
    /// <param name="variant">Which build to run; <see cref="ModuleVariant.Auto"/> picks SIMD where the engine can run it.</param>
    /// <param name="options">Limits for this instance, or <see langword="null"/> for none.</param>
    /// <returns>The loaded module, which the caller owns and must dispose.</returns>
    /// <remarks>
    /// Each build is compiled once per process, on first use; later loads create only a store and an instance. The
    /// module returned is a <see cref="WasmHost"/> of the kernel module (<see cref="ISharedMemoryModule.Host"/>), so a
    /// host's members (<see cref="WasmHost.Memory"/>, <see cref="WasmHost.Adopt{T}"/>, <see cref="WasmHost.AllocateUtf8"/>,
    /// its exports) work on it too.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="variant"/> is not a defined value, <see cref="InstanceOptions.MaxMemoryBytes"/> is below the
    /// module's initial memory or above 4 GiB, or <see cref="SharedMemoryOptions.Parallelism"/> is below 1 or above <see cref="MaxParallelism"/>.
    /// </exception>
    /// <exception cref="NotSupportedException">
    /// <see cref="ModuleVariant.Simd"/> was asked for and the engine cannot run WebAssembly SIMD; or
    /// <see cref="SharedMemoryOptions.Parallelism"/> is above 1 and the loaded Wasmtime.Dotnet is not the version this library reaches shared memories on.
    /// </exception>
    /// <exception cref="WasmOutOfMemoryException">The process has no address space left for another module's linear memory (each reserves 4 GiB).</exception>
    /// <exception cref="WasmSharedMemoryException">The <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    public static ISharedMemoryModule Load(ModuleVariant variant = ModuleVariant.Auto, SharedMemoryOptions? options = null) =>
        LoadFrom(ModuleCatalog.Shared, variant, options);

    /// <summary>The most instances <see cref="SharedMemoryOptions.Parallelism"/> may ask for.</summary>
    public const int MaxParallelism = 1024;

    /// <summary>Loads from a given catalog: the seam tests use to load on an engine without SIMD.</summary>
    internal static KernelModule LoadFrom(ModuleCatalog catalog, ModuleVariant variant, SharedMemoryOptions? options)
    {
        if ((uint)variant > (uint)ModuleVariant.Scalar)
        {
            ThrowHelper.ThrowUnknownVariant(variant);
        }

        int parallelism = options?.Parallelism ?? 1;
        if (parallelism is < 1 or > MaxParallelism)
        {
            ThrowHelper.ThrowParallelismOutOfRange(parallelism, MaxParallelism);
        }

        if (parallelism == 1)
        {
            var module = catalog.Resolve(ref variant, options?.CacheDirectory);
            return Named(KernelModule.Create(catalog.Engine, module, variant, options), catalog, variant);
        }

        if (catalog.ParallelBlocker is { } blocker)
        {
            ThrowHelper.ThrowParallelismNotSupported(parallelism, blocker);
        }

        ModuleCatalog parallel = catalog.Parallel;
        var shared = parallel.Resolve(ref variant, options?.CacheDirectory);
        return Named(KernelModule.CreateParallel(parallel.Engine, shared, variant, options, parallelism), parallel, variant);
    }

    /// <summary>Tags the module's metrics with its build's name.</summary>
    private static KernelModule Named(KernelModule module, ModuleCatalog catalog, ModuleVariant variant)
    {
        module.Guest.MetricName = catalog.NameOf(variant);
        return module;
    }
}
