using System;
using System.Collections.Generic;
using System.IO;
using Wasmtime;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>WASI preview 1 for a store with nothing granted beyond what <see cref="WasmHostOptions"/> grants.</summary>
internal static class WasiGrants
{
    /// <summary>Gives <paramref name="store"/> WASI with what <paramref name="options"/> grants, naming a grant Wasmtime cannot honor.</summary>
    /// <exception cref="WasmSharedMemoryException">A preopened directory does not exist, or Wasmtime refused the configuration.</exception>
    public static void Configure(Store store, WasmHostOptions? options)
    {
        foreach (var directory in options?.PreopenedDirectories ?? new Dictionary<string, string>())
        {
            if (!Directory.Exists(directory.Value))
            {
                throw new WasmSharedMemoryException(
                    $"The host directory '{directory.Value}', granted to the module as '{directory.Key}' in WasmHostOptions.PreopenedDirectories, does not exist.",
                    new DirectoryNotFoundException(directory.Value));
            }
        }

        try
        {
            store.SetWasiConfiguration(From(options));
        }
        catch (Exception ex) when (ex is InvalidOperationException or WasmtimeException or ArgumentException)
        {
            // Wasmtime refuses what the check above cannot see: a directory this process cannot open, for example.
            throw new WasmSharedMemoryException($"Wasmtime refused the WASI configuration from WasmHostOptions: {ex.Message}", ex);
        }
    }

    private static WasiConfiguration From(WasmHostOptions? options)
    {
        var wasi = new WasiConfiguration();
        if (options is null)
        {
            return wasi;
        }

        if (options.InheritStandardOutput)
        {
            wasi.WithInheritedStandardOutput();
        }

        if (options.InheritStandardError)
        {
            wasi.WithInheritedStandardError();
        }

        foreach (var variable in options.EnvironmentVariables)
        {
            wasi.WithEnvironmentVariable(variable.Key, variable.Value);
        }

        foreach (var directory in options.PreopenedDirectories)
        {
            wasi.WithPreopenedDirectory(directory.Value, directory.Key, mutable: false);
        }

        return wasi;
    }
}
