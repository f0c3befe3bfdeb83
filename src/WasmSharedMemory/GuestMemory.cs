using System;
using System.Text;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

/// <summary>
/// A checked, zero-copy view of a module's linear memory: spans and strings at guest addresses, each range
/// checked against the memory's current size.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="WasmHost.Memory"/> gives it outside calls; a host function whose first parameter is a
/// <see cref="GuestMemory"/> gets the calling module's view. A span is valid while the module is undisposed,
/// across memory growth (linear memory never moves), and covers only the range asked for.
/// </para>
/// <para>
/// Every member reads the memory's size through the module's store, so it waits for a call in progress on
/// another thread; from inside a host function, on the calling thread, it does not wait.
/// </para>
/// </remarks>
public sealed unsafe class GuestMemory
{
    private readonly GuestInstance _guest;

    internal GuestMemory(GuestInstance guest) => _guest = guest;

    /// <summary>Gets the current size of linear memory, in bytes.</summary>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    public long Length => _guest.MemoryBytes;

    /// <summary>
    /// Grows linear memory by <paramref name="pages"/> 64 KiB pages, as the module's own <c>memory.grow</c> would: for a
    /// host function that a toolchain's runtime asks to grow the heap (Emscripten's <c>emscripten_resize_heap</c>).
    /// </summary>
    /// <param name="pages">The number of pages to add; 0 returns the current size.</param>
    /// <returns>The size before growing, in pages, or -1 when memory cannot grow that far: past <see cref="InstanceOptions.MaxMemoryBytes"/>, the maximum the module's memory declares, or 4 GiB. Nothing changes then.</returns>
    /// <remarks>Spans and buffers stay valid across growth: linear memory never moves.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pages"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    public long Grow(long pages) => _guest.Grow(pages);

    /// <summary>Gets a span of <paramref name="length"/> elements of <typeparamref name="T"/> at <paramref name="address"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="address">The guest address of the first element.</param>
    /// <param name="length">The number of elements.</param>
    /// <returns>A span directly over linear memory.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative, or the range does not lie inside linear memory.</exception>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    public Span<T> GetSpan<T>(uint address, int length)
        where T : unmanaged
    {
        return new Span<T>(Checked(address, length, sizeof(T)), length);
    }

    /// <summary>Decodes <paramref name="byteLength"/> bytes of UTF-8 at <paramref name="address"/>.</summary>
    /// <param name="address">The guest address of the first byte.</param>
    /// <param name="byteLength">The number of bytes, not counting any terminating zero.</param>
    /// <returns>The decoded string; invalid sequences become U+FFFD.</returns>
    /// <remarks>Safe against the module being disposed on another thread: its disposal waits for the read.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteLength"/> is negative, or the range does not lie inside linear memory.</exception>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    public string ReadUtf8(uint address, int byteLength)
    {
        byte* bytes = Checked(address, byteLength, sizeof(byte));
        if (byteLength == 0)
        {
            return string.Empty;
        }

        using GuestAccess access = _guest.Access();
        return Encoding.UTF8.GetString(bytes, byteLength);
    }

    /// <summary>Reads <paramref name="charLength"/> UTF-16 code units at <paramref name="address"/>, as AssemblyScript and C# strings store them.</summary>
    /// <param name="address">The guest address of the first code unit.</param>
    /// <param name="charLength">The number of UTF-16 code units.</param>
    /// <returns>The string.</returns>
    /// <remarks>Safe against the module being disposed on another thread: its disposal waits for the read.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="charLength"/> is negative, or the range does not lie inside linear memory.</exception>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    public string ReadUtf16(uint address, int charLength)
    {
        var chars = (char*)Checked(address, charLength, sizeof(char));
        if (charLength == 0)
        {
            return string.Empty;
        }

        using GuestAccess access = _guest.Access();
        return new string(chars, 0, charLength);
    }

    /// <summary>Returns a pointer to <paramref name="length"/> elements of <paramref name="size"/> bytes at <paramref name="address"/>, checked against memory's size now.</summary>
    private byte* Checked(uint address, int length, int size)
    {
        if (length < 0)
        {
            ThrowHelper.ThrowNegativeLength(length);
        }

        return _guest.Pointer(address, (ulong)length * (ulong)size);
    }
}
