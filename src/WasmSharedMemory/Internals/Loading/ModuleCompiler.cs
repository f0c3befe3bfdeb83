using System;
using Wasmtime;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>Compiles a user's module, mapping what Wasmtime refuses to the library's exception.</summary>
internal static class ModuleCompiler
{
    /// <summary>Runs <paramref name="compile"/> (one of <see cref="Module"/>'s factories, or its text-to-binary conversion).</summary>
    /// <exception cref="WasmSharedMemoryException">The module is not valid or not supported by the engine.</exception>
    public static T Compile<T>(Func<T> compile)
    {
        try
        {
            return compile();
        }
        catch (WasmtimeException ex)
        {
            throw Failed(ex);
        }
    }

    private static WasmSharedMemoryException Failed(WasmtimeException ex) =>
        new($"The WebAssembly module could not be compiled: {ex.Message}", ex);
}
