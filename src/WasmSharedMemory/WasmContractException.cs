using System;

namespace WasmSharedMemory;

/// <summary>
/// A module does not keep the contract the library relies on: an export is missing or has the wrong
/// signature, or the allocator returned an address that is not a valid block.
/// </summary>
public sealed class WasmContractException : WasmSharedMemoryException
{
    /// <summary>Initializes a new instance with the given message.</summary>
    /// <param name="message">Which export broke which rule.</param>
    public WasmContractException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with the given message and cause.</summary>
    /// <param name="message">Which export broke which rule.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public WasmContractException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
