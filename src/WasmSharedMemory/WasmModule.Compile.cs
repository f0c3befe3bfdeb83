using System;
using System.IO;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Caching;
using WasmSharedMemory.Internals.Engines;
using WasmSharedMemory.Internals.Loading;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory;

/// <summary>The ways to compile a <see cref="WasmModule"/>.</summary>
public sealed partial class WasmModule
{
    private const string DefaultName = "module";

    /// <summary>Compiles a module from a <c>.wasm</c> file, or loads its compiled code from <see cref="WasmModuleOptions.CacheDirectory"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The name, interruption checks and cache, or <see langword="null"/> for the defaults (no checks, no cache).</param>
    /// <returns>The compiled module, which the caller owns and must dispose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WasmSharedMemoryException">The file is not a valid module, or uses a feature the engine does not support, or the <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    public static WasmModule FromFile(string path, WasmModuleOptions? options = null)
    {
        if (path is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(path));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The WebAssembly module '{path}' does not exist.", path);
        }

        return Compile(File.ReadAllBytes(path), options, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Compiles a module from its binary encoding, or loads its compiled code from <see cref="WasmModuleOptions.CacheDirectory"/>.</summary>
    /// <param name="wasm">The module's bytes.</param>
    /// <param name="options">The name, interruption checks and cache, or <see langword="null"/> for the defaults (no checks, no cache).</param>
    /// <returns>The compiled module, which the caller owns and must dispose.</returns>
    /// <exception cref="WasmSharedMemoryException">The bytes are not a valid module, or use a feature the engine does not support, or the <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    public static WasmModule FromBytes(ReadOnlySpan<byte> wasm, WasmModuleOptions? options = null) =>
        Compile(wasm.ToArray(), options, DefaultName);

    /// <summary>Compiles a module from WebAssembly text (WAT), or loads its compiled code from <see cref="WasmModuleOptions.CacheDirectory"/>.</summary>
    /// <param name="wat">The module's text.</param>
    /// <param name="options">The name, interruption checks and cache, or <see langword="null"/> for the defaults (no checks, no cache).</param>
    /// <returns>The compiled module, which the caller owns and must dispose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="wat"/> is <see langword="null"/>.</exception>
    /// <exception cref="WasmSharedMemoryException">The text is not a valid module, or uses a feature the engine does not support, or the <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    public static WasmModule FromText(string wat, WasmModuleOptions? options = null)
    {
        if (wat is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(wat));
        }

        return Compile(ModuleCompiler.Compile(() => Module.ConvertText(wat)), options, DefaultName);
    }

    /// <summary>The module options a <c>WasmHost.FromFile</c>-style shortcut compiles with: interruption checks and fuel exactly when <paramref name="options"/> asks for them.</summary>
    internal static WasmModuleOptions ForHost(WasmHostOptions? options) => new()
    {
        Interruptible = options is not null && options.NeedsInterruption,
        FuelMetered = options?.FuelPerCall is not null,
    };

    private static WasmModule Compile(byte[] wasm, WasmModuleOptions? options, string defaultName)
    {
        string name = options?.Name ?? defaultName;
        var profile = new EngineProfile(options?.Interruptible ?? false, options?.FuelMetered ?? false);
        long started = WasmMetrics.Now();
        CacheResult result = CacheResult.Off;
        Module module = ModuleCompiler.Compile(() => options?.CacheDirectory is { } directory
            ? new CompileCache(directory).GetOrCompile(profile.Engine, profile.Key, name, wasm, out result)
            : Module.FromBytes(profile.Engine, name, wasm));
        var compiled = new WasmModule(module, profile, name);
        try
        {
            WasmMetrics.Compiled(name, result, started);
        }
        catch
        {
            // A meter listener threw: the caller never gets the module, so its compiled code must not live on.
            compiled.Dispose();
            throw;
        }

        return compiled;
    }
}
