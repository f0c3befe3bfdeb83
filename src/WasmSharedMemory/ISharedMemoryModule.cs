using System;

namespace WasmSharedMemory;

/// <summary>
/// A loaded instance of the kernel module: a WebAssembly linear memory that hands out typed, zero-copy
/// <see cref="WasmBuffer{T}"/> blocks, and element-wise and reduction kernels that run inside it.
/// </summary>
/// <remarks>
/// <para>
/// All calls into WebAssembly (allocate, free, multiply) are serialized on the instance, so the module may
/// be shared between threads; with <see cref="SharedMemoryOptions.Parallelism"/> above 1, kernel calls from
/// different threads run side by side on the module's idle instances instead. Reading and writing a buffer's <see cref="WasmBuffer{T}.Span"/> is not
/// synchronized: as with any memory, do not write a buffer on one thread while another uses it.
/// </para>
/// <para>
/// The object is a <see cref="WasmHost"/> of the kernel module (see <see cref="Host"/>), so a host's members work on
/// it too: <see cref="WasmHost.Memory"/>, <see cref="WasmHost.Adopt{T}"/>, <see cref="WasmHost.AllocateUtf8"/>,
/// <c>GetAction</c>/<c>GetFunction</c> for the module's exports. The members below that a host also has
/// (<see cref="Allocate{T}"/>, the counters, <see cref="IsFaulted"/>, <see cref="IDisposable.Dispose"/>) are the host's own.
/// </para>
/// <para>
/// Disposing the module releases its whole linear memory. Its buffers then report
/// <see cref="WasmBuffer{T}.IsDisposed"/>, and a <see cref="Span{T}"/> taken from one earlier must not be used.
/// </para>
/// </remarks>
public interface ISharedMemoryModule : IDisposable
{
    /// <summary>Gets the build that is running: <see cref="ModuleVariant.Simd"/> or <see cref="ModuleVariant.Scalar"/>, never <see cref="ModuleVariant.Auto"/>.</summary>
    ModuleVariant Variant { get; }

    /// <summary>Gets how many instances share this module's memory and split large calls: <see cref="SharedMemoryOptions.Parallelism"/>, 1 by default.</summary>
    int Parallelism { get; }

    /// <summary>Gets this module as the <see cref="WasmHost"/> it is: the same object, for the members a host has and this interface does not list.</summary>
    /// <remarks>Disposing either disposes both; a member of a disposed module throws <see cref="ObjectDisposedException"/> naming <c>ISharedMemoryModule</c>.</remarks>
    WasmHost Host { get; }

    /// <summary>Gets the number of buffers allocated from this module and not yet disposed; 0 once the module is disposed, which disposes them all.</summary>
    int LiveBuffers { get; }

    /// <summary>Gets the number of bytes held by buffers allocated from this module and not yet disposed; 0 once the module is disposed.</summary>
    long LiveBytes { get; }

    /// <summary>Gets the current size of the module's linear memory, in bytes.</summary>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    long MemoryBytes { get; }

    /// <summary>Gets a value indicating whether the module trapped or broke its contract and refuses further calls.</summary>
    bool IsFaulted { get; }

    /// <summary>Allocates a buffer of <paramref name="length"/> elements in the module's linear memory.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="length">The number of elements; 0 gives a valid empty buffer.</param>
    /// <returns>A buffer the caller owns and must dispose.</returns>
    /// <remarks>The contents of a new buffer are unspecified: the guest may hand out a block it used before.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative, or the buffer would exceed the 4 GiB WebAssembly address space.</exception>
    /// <exception cref="WasmOutOfMemoryException">The module's memory could not grow enough (see <see cref="InstanceOptions.MaxMemoryBytes"/>).</exception>
    /// <exception cref="WasmTrapException">The module's allocator trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmContractException">The allocator returned an address outside memory or misaligned for <typeparamref name="T"/>; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged;

    /// <summary>Multiplies <paramref name="left"/> by <paramref name="right"/> element-wise into <paramref name="destination"/>, inside WebAssembly.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="destination">The product; may be <paramref name="left"/> or <paramref name="right"/>.</param>
    /// <exception cref="ArgumentNullException">A buffer is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A buffer belongs to another module, or the lengths differ. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A buffer or the module has been disposed.</exception>
    /// <exception cref="WasmTrapException">The kernel trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    void Multiply(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination);

    /// <inheritdoc cref="Multiply(WasmBuffer{float}, WasmBuffer{float}, WasmBuffer{float})"/>
    void Multiply(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination);

    /// <summary>Multiplies <paramref name="left"/> by <paramref name="right"/> element-wise into <paramref name="destination"/>, inside WebAssembly, wrapping on overflow.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="destination">The product; may be <paramref name="left"/> or <paramref name="right"/>.</param>
    /// <exception cref="ArgumentNullException">A buffer is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A buffer belongs to another module, or the lengths differ. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A buffer or the module has been disposed.</exception>
    /// <exception cref="WasmTrapException">The kernel trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    void Multiply(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination);

    /// <summary>Adds <paramref name="left"/> and <paramref name="right"/> element-wise into <paramref name="destination"/>, inside WebAssembly.</summary>
    /// <param name="left">The first addend.</param>
    /// <param name="right">The second addend.</param>
    /// <param name="destination">The sum; may be <paramref name="left"/> or <paramref name="right"/>.</param>
    /// <exception cref="ArgumentNullException">A buffer is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A buffer belongs to another module, or the lengths differ. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A buffer or the module has been disposed.</exception>
    /// <exception cref="WasmTrapException">The kernel trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    void Add(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination);

    /// <inheritdoc cref="Add(WasmBuffer{float}, WasmBuffer{float}, WasmBuffer{float})"/>
    void Add(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination);

    /// <summary>Adds <paramref name="left"/> and <paramref name="right"/> element-wise into <paramref name="destination"/>, inside WebAssembly, wrapping on overflow.</summary>
    /// <param name="left">The first addend.</param>
    /// <param name="right">The second addend.</param>
    /// <param name="destination">The sum; may be <paramref name="left"/> or <paramref name="right"/>.</param>
    /// <exception cref="ArgumentNullException">A buffer is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A buffer belongs to another module, or the lengths differ. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A buffer or the module has been disposed.</exception>
    /// <exception cref="WasmTrapException">The kernel trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    void Add(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination);

    /// <summary>Multiplies every element of <paramref name="source"/> by <paramref name="factor"/> into <paramref name="destination"/>, inside WebAssembly.</summary>
    /// <param name="source">The buffer to scale.</param>
    /// <param name="factor">The factor every element is multiplied by.</param>
    /// <param name="destination">
    /// The product, <c>destination[i] = source[i] * factor</c>, bit for bit what a C# loop gives (one IEEE rounding per
    /// element); may be <paramref name="source"/> to scale in place.
    /// </param>
    /// <exception cref="ArgumentNullException">A buffer is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A buffer belongs to another module, or the lengths differ. Nothing is written.</exception>
    /// <exception cref="ObjectDisposedException">A buffer or the module has been disposed.</exception>
    /// <exception cref="WasmTrapException">The kernel trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    void Scale(WasmBuffer<float> source, float factor, WasmBuffer<float> destination);

    /// <inheritdoc cref="Scale(WasmBuffer{float}, float, WasmBuffer{float})"/>
    void Scale(WasmBuffer<double> source, double factor, WasmBuffer<double> destination);

    /// <summary>Returns the sum of the products of <paramref name="left"/> and <paramref name="right"/>, computed inside WebAssembly in the element type.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand, of the same length.</param>
    /// <returns>
    /// The dot product; +0 for empty buffers. The summation order is fixed and the same in both builds, so the
    /// result is bit-identical whichever build runs: chunks of 4096 elements, each summed into 16 (float) or 8
    /// (double) interleaved accumulators that are then combined by halving, and the chunk sums added left to right.
    /// </returns>
    /// <exception cref="ArgumentNullException">A buffer is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A buffer belongs to another module, or the lengths differ.</exception>
    /// <exception cref="ObjectDisposedException">A buffer or the module has been disposed.</exception>
    /// <exception cref="WasmTrapException">The kernel trapped; the module is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The module faulted earlier.</exception>
    float Dot(WasmBuffer<float> left, WasmBuffer<float> right);

    /// <inheritdoc cref="Dot(WasmBuffer{float}, WasmBuffer{float})"/>
    double Dot(WasmBuffer<double> left, WasmBuffer<double> right);
}
