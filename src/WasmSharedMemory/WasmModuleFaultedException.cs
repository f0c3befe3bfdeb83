using System;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>
/// A call was made to a module that faulted earlier (it trapped or broke its contract), whose state can no
/// longer be trusted.
/// </summary>
/// <remarks>The <see cref="Exception.InnerException"/> is the exception the original fault threw.</remarks>
public sealed class WasmModuleFaultedException : WasmSharedMemoryException
{
    /// <summary>Initializes a new instance for a module that faulted with <paramref name="fault"/>.</summary>
    /// <param name="fault">The exception the original fault threw.</param>
    public WasmModuleFaultedException(Exception? fault)
        : base($"The WebAssembly module faulted earlier and refuses further calls; dispose it and load a new one. The fault: {ExceptionText.MessageOf(fault)}", fault)
    {
    }
}
