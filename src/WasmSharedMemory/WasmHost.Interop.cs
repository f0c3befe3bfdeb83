using System;
using System.Text;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

// Typed interop beyond Allocate: blocks the guest allocated, and strings.
public partial class WasmHost
{
    /// <summary>Takes ownership of a block of <paramref name="length"/> elements that the module's allocator handed out, such as a result an export returned by pointer.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="address">The block's guest address.</param>
    /// <param name="length">The number of elements; 0 adopts nothing and frees nothing (right for Rust's dangling pointers, which wasm-bindgen's and this library's allocators hand out for empty requests).</param>
    /// <returns>A buffer the caller owns and must dispose: <see cref="WasmBuffer{T}.Dispose"/> frees the block through <see cref="Contract"/>.</returns>
    /// <remarks>
    /// <para>
    /// The block gets the checks of an allocated one: a non-zero address, aligned for <typeparamref name="T"/>,
    /// inside linear memory, and not overlapping a live buffer. A failed check is the caller's mistake, so it
    /// throws and the host stays usable. Nothing can check that the block is really allocated or is not freed by
    /// the guest later; adopting a block twice after disposing the first buffer, or one the guest still uses,
    /// corrupts the guest's heap as a double free would.
    /// </para>
    /// <para>
    /// <see cref="WasmBuffer{T}.Dispose"/> frees it as if this host had allocated it: with the size
    /// <paramref name="length"/> × <c>sizeof(T)</c> and the alignment the library asks for <typeparamref name="T"/>
    /// (the largest power of two dividing <c>sizeof(T)</c>, at most 16). The contracts whose free takes a size
    /// assume the block was allocated with exactly that layout: <see cref="AllocatorContract.WasmSharedMemory"/>'s
    /// <c>wsm_free</c> needs a block from <c>wsm_alloc</c> of the same size (rounded to 16 bytes) and an alignment
    /// of at most 16; <see cref="AllocatorContract.WasmBindgen"/>'s <c>__wbindgen_free</c> passes the size and
    /// alignment to Rust's deallocator, which needs the very <c>Layout</c> the block was allocated with, as from a
    /// <c>Box&lt;[T]&gt;</c> or a <c>Vec&lt;T&gt;</c> whose capacity is <paramref name="length"/> and whose
    /// element's alignment is that same power of two (true of the primitive types). <see cref="AllocatorContract.CMalloc"/>'s
    /// <c>free</c> takes only the address and frees any block from <c>malloc</c> of at least that many bytes.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or the block would exceed the 4 GiB address space, or the block does not lie inside linear memory.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is 0 or misaligned for <typeparamref name="T"/>, or the block overlaps a live buffer. Nothing is adopted.</exception>
    /// <exception cref="WasmModuleFaultedException">The host faulted earlier.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public WasmBuffer<T> Adopt<T>(uint address, int length)
        where T : unmanaged => _guest.Heap.Adopt<T>(address, length);

    /// <summary>Allocates a buffer holding <paramref name="value"/> in UTF-8, followed by a terminating zero byte.</summary>
    /// <param name="value">The string; a lone surrogate becomes U+FFFD, and an embedded U+0000 stays a zero byte, which ends the string for C.</param>
    /// <returns>
    /// A buffer the caller owns and must dispose, whose <see cref="WasmBuffer{T}.Length"/> counts the UTF-8 bytes
    /// <em>and</em> the terminating zero: pass its address alone as C's <c>const char*</c>, or with
    /// <c>Length - 1</c> as Rust's <c>(ptr, len)</c>.
    /// </returns>
    /// <remarks>Read a string the module writes with <see cref="GuestMemory.ReadUtf8"/> on <see cref="Memory"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The UTF-8 form with its terminating zero would be longer than <see cref="int.MaxValue"/> bytes.</exception>
    /// <exception cref="WasmOutOfMemoryException">The allocator returned 0: the module's memory could not grow enough.</exception>
    /// <exception cref="WasmTrapException">The allocator trapped; the host is faulted from then on.</exception>
    /// <exception cref="TimeoutException">The allocator ran past <see cref="WasmHostOptions.CallTimeout"/>; the host is faulted from then on.</exception>
    /// <exception cref="WasmContractException">The allocator returned an address outside memory or overlapping a live buffer; the host is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The host faulted earlier.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public unsafe WasmBuffer<byte> AllocateUtf8(string value)
    {
        if (value is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(value));
        }

        // GetByteCount throws ArgumentOutOfRangeException itself past int.MaxValue; the terminator needs one more.
        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount == int.MaxValue)
        {
            ThrowHelper.ThrowStringTooLong(value.Length);
        }

        WasmBuffer<byte> buffer = _guest.Heap.Allocate<byte>(byteCount + 1);

        // Written outside the call gate: hold off a dispose on another thread until the bytes are in.
        using (GuestAccess access = _guest.Access())
        {
            byte* destination = access.Base + buffer.UncheckedAddress;
            fixed (char* chars = value)
            {
                Encoding.UTF8.GetBytes(chars, value.Length, destination, byteCount);
            }

            destination[byteCount] = 0;
        }

        return buffer;
    }
}
