using System;
using System.Diagnostics.CodeAnalysis;

namespace WasmSharedMemory.Internals;

/// <summary>Throws the library's argument and state exceptions, so hot paths stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName) => throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    public static void ThrowLeaseReturnedInsideItsCall() =>
        throw new InvalidOperationException("A host function cannot return the lease of the host that is calling it; dispose the lease after the call returns.");

    [DoesNotReturn]
    public static void ThrowNegativeLength(int length) =>
        throw new ArgumentOutOfRangeException("length", length, "The number of elements must not be negative.");

    [DoesNotReturn]
    public static void ThrowNegativePages(long pages) =>
        throw new ArgumentOutOfRangeException("pages", pages, "The number of pages to grow by must not be negative.");

    [DoesNotReturn]
    public static void ThrowBufferTooLarge(int length, int elementSize, Type elementType, ulong bytes) =>
        throw new ArgumentOutOfRangeException(
            "length",
            length,
            $"{length} elements of {elementType.Name} ({elementSize} bytes each) need {bytes} bytes, more than the 4 GiB a WebAssembly module can address.");

    [DoesNotReturn]
    public static void ThrowSliceOutOfRange(int start, int length, int bufferLength) =>
        throw new ArgumentOutOfRangeException(
            nameof(start),
            $"The range [{start}, {start}+{length}) does not lie inside a buffer of {bufferLength} elements.");

    [DoesNotReturn]
    public static void ThrowSourceTooLong(int sourceLength, int bufferLength) =>
        throw new ArgumentException($"The source has {sourceLength} elements, more than the buffer's {bufferLength}. Nothing was copied.", "source");

    [DoesNotReturn]
    public static void ThrowDestinationTooShort(int destinationLength, int bufferLength) =>
        throw new ArgumentException($"The destination has {destinationLength} elements, fewer than the buffer's {bufferLength}. Nothing was copied.", "destination");

    [DoesNotReturn]
    public static void ThrowBufferDisposed(Type bufferType, bool moduleDisposed) =>
        throw new ObjectDisposedException(
            bufferType.FullName,
            moduleDisposed
                ? "The module that owns this buffer has been disposed, which released its memory."
                : "This buffer has been disposed or released to the guest.");

    [DoesNotReturn]
    public static void ThrowOperandDisposed(string paramName) =>
        throw new ObjectDisposedException(paramName, $"The buffer passed as '{paramName}' has been disposed.");

    [DoesNotReturn]
    public static void ThrowArgumentDisposed(string paramName, string export) =>
        throw new ObjectDisposedException(paramName, $"The buffer passed as '{paramName}' to export '{export}' has been disposed. The export was not called.");

    [DoesNotReturn]
    public static void ThrowForeignArgument(string paramName, string export) =>
        throw new ArgumentException(
            $"The buffer passed to export '{export}' belongs to a different module; pass only buffers allocated or adopted by this host. The export was not called.",
            paramName);

    [DoesNotReturn]
    public static void ThrowAdoptNull() =>
        throw new ArgumentException("Address 0 is the null pointer, which allocators return for a failed allocation; there is no block to adopt.", "address");

    [DoesNotReturn]
    public static void ThrowAdoptOutsideMemory(uint address, string problem) =>
        throw new ArgumentOutOfRangeException("address", address, $"The block at 0x{address:X8} {problem}. Nothing was adopted.");

    [DoesNotReturn]
    public static void ThrowAdoptRefused(uint address, string problem) =>
        throw new ArgumentException(
            $"The block at 0x{address:X8} {problem}. Adopt only a block the module's allocator handed out and no buffer owns; nothing was adopted.",
            "address");

    [DoesNotReturn]
    public static void ThrowStringTooLong(int length) =>
        throw new ArgumentOutOfRangeException("value", length, "The string's UTF-8 bytes and terminating zero would be more than int.MaxValue bytes.");

    [DoesNotReturn]
    public static void ThrowPinOutOfRange(int elementIndex, int length) =>
        throw new ArgumentOutOfRangeException(nameof(elementIndex), elementIndex, $"The index lies outside a buffer of {length} elements.");

    [DoesNotReturn]
    public static void ThrowStreamClosed() =>
        throw new ObjectDisposedException(nameof(System.IO.Stream), "The stream has been disposed; the buffer it reads and writes is not. Call AsStream again for a new one.");

    [DoesNotReturn]
    public static void ThrowStreamFull(int count, long position, long length) =>
        throw new NotSupportedException(
            $"Writing {count} bytes at position {position} would pass the end of the stream, whose length is fixed at the buffer's {length} bytes. Nothing was written.");

    [DoesNotReturn]
    public static void ThrowFixedLength(long length) =>
        throw new NotSupportedException($"The stream's length is fixed at the buffer's {length} bytes.");

    [DoesNotReturn]
    public static void ThrowNegativePosition(long position) =>
        throw new ArgumentOutOfRangeException("value", position, "The position must not be negative.");

    [DoesNotReturn]
    public static void ThrowSeekOutOfRange(long from, long offset) =>
        throw new System.IO.IOException($"Seeking {offset} bytes from position {from} would move before the beginning of the stream (or past long.MaxValue).");

    [DoesNotReturn]
    public static void ThrowArrayRange(int offset, int count, int arrayLength) =>
        throw new ArgumentOutOfRangeException(
            (uint)offset > (uint)arrayLength ? nameof(offset) : nameof(count),
            $"The range of {count} bytes at offset {offset} does not lie inside an array of {arrayLength} bytes.");

    /// <summary>Throws for a member of a disposed module, named as its owner is (<c>WasmHost</c>, <c>ISharedMemoryModule</c>).</summary>
    [DoesNotReturn]
    public static void ThrowModuleDisposed(string owner) =>
        throw new ObjectDisposedException(owner, $"The WebAssembly module has been disposed ({owner}.Dispose), which released its store and memory.");

    [DoesNotReturn]
    public static void ThrowNotInterruptible(string export, string owner) =>
        throw new NotSupportedException(owner == Loading.GuestSpec.KernelOwner
            ? $"The kernel module runs its code without interruption checks, so a call of export '{export}' cannot be canceled; call it without a CancellationToken (CancellationToken.None), or load the module's .wasm as a WasmHost."
            : $"A call of export '{export}' cannot be canceled: the module was compiled without interruption checks. Compile it with " +
              "WasmModuleOptions.Interruptible = true (WasmModule.FromFile), or load it with WasmHostOptions.CallTimeout set; or call it without a CancellationToken (CancellationToken.None).");

    [DoesNotReturn]
    public static void ThrowForeignBuffer(string paramName) =>
        throw new ArgumentException("The buffer was allocated by a different module; buffers can only be passed to the module that allocated them. Nothing was written.", paramName);

    [DoesNotReturn]
    public static void ThrowLengthMismatch(string paramName, int length, int expected) =>
        throw new ArgumentException($"The buffer has {length} elements but 'left' has {expected}; all operands must have the same length. Nothing was written.", paramName);

    [DoesNotReturn]
    public static void ThrowUnknownVariant(ModuleVariant variant) =>
        throw new ArgumentOutOfRangeException(nameof(variant), variant, "Use ModuleVariant.Auto, ModuleVariant.Simd or ModuleVariant.Scalar.");

    [DoesNotReturn]
    public static void ThrowOutsideMemory(uint address, ulong bytes, ulong memoryBytes) =>
        throw new ArgumentOutOfRangeException(
            nameof(address),
            address,
            $"The range of {bytes} bytes at 0x{address:X8} does not lie inside the {memoryBytes} bytes of linear memory.");

    [DoesNotReturn]
    public static void ThrowParallelismOutOfRange(int parallelism, int max) =>
        throw new ArgumentOutOfRangeException("options", parallelism, $"SharedMemoryOptions.Parallelism must lie between 1 and {max}.");

    [DoesNotReturn]
    public static void ThrowParallelismNotSupported(int parallelism, string why) =>
        throw new NotSupportedException($"SharedMemoryOptions.Parallelism = {parallelism} needs a WebAssembly shared memory, which is not available here: {why.TrimEnd('.')}. Load with Parallelism = 1.");
}
