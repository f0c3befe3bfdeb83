using System;

namespace WasmSharedMemory;

/// <summary>The base type of the exceptions a WebAssembly module's failure surfaces as.</summary>
public class WasmSharedMemoryException : Exception
{
    /// <summary>Initializes a new instance with a default message.</summary>
    public WasmSharedMemoryException()
        : base("The WebAssembly module failed.")
    {
    }

    /// <summary>Initializes a new instance with the given message.</summary>
    /// <param name="message">What failed and what to do about it.</param>
    public WasmSharedMemoryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with the given message and cause.</summary>
    /// <param name="message">What failed and what to do about it.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public WasmSharedMemoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
