using System;

namespace WasmSharedMemory;

/// <summary>The module's allocator could not provide a block: its linear memory could not grow enough.</summary>
/// <remarks>The module stays usable; smaller allocations may still succeed.</remarks>
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

    /// <summary>Gets the size, in bytes, of the block that could not be allocated.</summary>
    public long RequestedBytes { get; }
}
