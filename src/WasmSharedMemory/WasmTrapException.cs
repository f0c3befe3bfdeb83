using System;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>WebAssembly code trapped while running an export; the module is faulted from then on.</summary>
/// <remarks>
/// The <see cref="Exception.InnerException"/> is Wasmtime's own exception, with the trap code and frames; or, when a
/// host function the module called threw, that exception.
/// </remarks>
public sealed class WasmTrapException : WasmSharedMemoryException
{
    /// <summary>Initializes a new instance for a trap in <paramref name="exportName"/>.</summary>
    /// <param name="exportName">The export that was running.</param>
    /// <param name="innerException">Wasmtime's exception for the trap, or the exception a host function threw.</param>
    public WasmTrapException(string exportName, Exception? innerException)
        : base($"WebAssembly export '{exportName}' trapped: {ExceptionText.MessageOf(innerException)} The module is faulted and refuses further calls; load a new one.", innerException)
    {
        ExportName = exportName;
    }

    /// <summary>Initializes a new instance with the given message, for a trap outside a call (while loading).</summary>
    internal WasmTrapException(string exportName, string message, Exception? innerException)
        : base(message, innerException)
    {
        ExportName = exportName;
    }

    /// <summary>Gets the name of the export that trapped, or <c>(start)</c> for a trap while the module was instantiated.</summary>
    public string ExportName { get; }
}
