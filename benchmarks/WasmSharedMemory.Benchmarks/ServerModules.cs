using System;
using System.IO;

namespace WasmSharedMemory.Benchmarks;

/// <summary>The module the server benchmarks use: the ForeignModule sample's C library (clang + wasi-libc), or another given by <c>WSM_SERVER_WASM</c> (stb.wasm, say).</summary>
internal static class ServerModules
{
    public static string Path => Environment.GetEnvironmentVariable("WSM_SERVER_WASM") is { Length: > 0 } path
        ? path
        : System.IO.Path.Combine(AppContext.BaseDirectory, "imaging.wasm");

    /// <summary>The host options every host needs: imaging.wasm imports <c>env.host_histogram</c>, defined here as a no-op.</summary>
    public static WasmHostOptions Options()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "host_histogram", (int bins, int count) => { });
        return options;
    }

    /// <summary>Whether the module imports <c>env.host_histogram</c> (imaging.wasm does, stb.wasm does not).</summary>
    public static bool ImportsHistogram(Wasmtime.Module module)
    {
        foreach (var import in module.Imports)
        {
            if (import.ModuleName == "env" && import.Name == "host_histogram")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A fresh, empty cache directory under the temporary folder.</summary>
    public static string NewCacheDirectory() =>
        Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsm-bench-cache-" + Guid.NewGuid().ToString("N"))).FullName;
}
