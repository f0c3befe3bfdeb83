using System;

namespace WasmSharedMemory;

/// <summary>The module's allocator could not provide a block, or a module's memory could not be reserved at all.</summary>
/// <remarks>
/// Thrown by an allocation, the module stays usable and smaller allocations may still succeed. Thrown by a
/// load, the module could not be instantiated: its memory or tables exceed the limits, or the process is out
/// of address space for another linear memory.
/// </remarks>
public sealed class WasmOutOfMemoryException : WasmSharedMemoryException
{
    /// <summary>Initializes a new instance for a request of <paramref name="requestedBytes"/> bytes.</summary>
    /// <param name="requestedBytes">The size of the block that could not be allocated.</param>
    public WasmOutOfMemoryException(long requestedBytes)
        : this(requestedBytes, $"The WebAssembly module could not allocate {requestedBytes} bytes.")
    {
    }

    /// <summary>Initializes a new instance for a request of <paramref name="requestedBytes"/> bytes with the given message.</summary>
    /// <param name="requestedBytes">The size of the block that could not be allocated.</param>
    /// <param name="message">What failed and what to do about it.</param>
    public WasmOutOfMemoryException(long requestedBytes, string message)
        : base(message)
    {
        RequestedBytes = requestedBytes;
    }

    /// <summary>Initializes a new instance for a module that could not be instantiated, with Wasmtime's exception as the cause.</summary>
    internal WasmOutOfMemoryException(long requestedBytes, string message, Exception? innerException)
        : base(message, innerException)
    {
        RequestedBytes = requestedBytes;
    }

    /// <summary>Gets the size, in bytes, of the block that could not be allocated (0 where Wasmtime did not say).</summary>
    public long RequestedBytes { get; }
}
