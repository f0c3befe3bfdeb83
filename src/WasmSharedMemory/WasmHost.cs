using System;
using System.IO;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Loading;

namespace WasmSharedMemory;

/// <summary>
/// Any WebAssembly module, loaded with typed zero-copy buffers over its linear memory and guarded typed
/// delegates for its exports.
/// </summary>
/// <remarks>
/// <para>
/// Buffers are allocated through the module's own allocator, named by an <see cref="AllocatorContract"/>
/// (detected from the exports when not given). Every address it returns is checked before a span exists.
/// </para>
/// <para>
/// Every call into the module, from <see cref="Allocate{T}"/>, <see cref="WasmBuffer{T}.Dispose"/> or a
/// delegate from <c>GetAction</c>/<c>GetFunction</c>, is serialized on the host, so it may be shared between
/// threads. A trap, a timeout or a mid-call cancellation faults the host: every further call throws
/// <see cref="WasmModuleFaultedException"/>. Modules that import WASI preview 1 get it with nothing granted
/// beyond what <see cref="WasmHostOptions"/> grants; their other imports come from
/// <see cref="WasmHostOptions.Imports"/> or the built-in defaults. A reactor's <c>_initialize</c> export runs
/// once at load, under the same limits as any call.
/// </para>
/// <para>
/// A <see cref="WasmBuffer{T}"/> parameter of those delegates reaches the export as its <c>i32</c> address. It is
/// checked at each call, under the same lock, so no other thread can dispose it in between: a null, disposed or
/// other owner's buffer throws <see cref="ArgumentNullException"/>, <see cref="ObjectDisposedException"/> or
/// <see cref="ArgumentException"/> (naming the delegate's parameter) without entering the guest.
/// </para>
/// <para>
/// The kernel module is a host too: the object <see cref="SharedMemoryModule.Load"/> returns derives from this class,
/// so everything here works on it as well, except that its code runs without interruption checks: binding one of its
/// exports with a cancelable token throws <see cref="NotSupportedException"/> rather than ignore the token. Only this
/// library derives from this class.
/// </para>
/// </remarks>
public partial class WasmHost : IDisposable
{
    private readonly GuestInstance _guest;
    private readonly IDisposable? _owned;

    /// <summary>Wraps a loaded instance.</summary>
    /// <param name="guest">The instance, owned from here on.</param>
    /// <param name="owned">What else dies with the host, after the instance: the compiled module of a one-off load, a parallel module's workers; or null.</param>
    internal WasmHost(GuestInstance guest, IDisposable? owned)
    {
        _guest = guest;
        _owned = owned;
        Memory = new GuestMemory(guest);
    }

    /// <summary>Gets how often a running call checks its <see cref="WasmHostOptions.CallTimeout"/> and cancellation token.</summary>
    public static TimeSpan InterruptCheckInterval => EpochTicker.Interval;

    /// <summary>Gets the allocator contract the host uses.</summary>
    public AllocatorContract Contract => _guest.Heap.Contract;

    /// <summary>Gets the number of buffers allocated from this host and not yet disposed; 0 once the host is disposed, which disposes them all.</summary>
    public int LiveBuffers => _guest.Heap.LiveBuffers;

    /// <summary>Gets the number of bytes held by buffers allocated from this host and not yet disposed; 0 once the host is disposed.</summary>
    public long LiveBytes => _guest.Heap.LiveBytes;

    /// <summary>Gets the current size of the module's linear memory, in bytes.</summary>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public long MemoryBytes => _guest.MemoryBytes;

    /// <summary>Gets a value indicating whether the module trapped, timed out, was canceled mid-call or broke its contract, and refuses further calls.</summary>
    public bool IsFaulted => _guest.IsFaulted;

    /// <summary>Gets a checked, zero-copy view of the module's linear memory, for use outside calls.</summary>
    public GuestMemory Memory { get; }

    internal GuestInstance Guest => _guest;

    /// <summary>Loads a module from a <c>.wasm</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="contract">The allocator exports to use, or <see langword="null"/> to detect them.</param>
    /// <param name="options">Limits and WASI grants, or <see langword="null"/> for none.</param>
    /// <returns>The loaded host, which the caller owns and must dispose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WasmSharedMemoryException">The file is not a valid module, its <c>_initialize</c> export trapped or ran past a limit, or a directory in <see cref="WasmHostOptions.PreopenedDirectories"/> does not exist, or the <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    /// <exception cref="WasmContractException">The module lacks a memory export, has no or several recognizable allocators, an allocator export has the wrong signature, it imports something that neither WASI preview 1, <see cref="WasmHostOptions.Imports"/> nor a built-in default defines with that signature, or it declares a shared memory.</exception>
    /// <exception cref="WasmTrapException">Guest code run while loading (a start function, the allocator ABI check) trapped or ran out of fuel, or a data segment lies outside memory.</exception>
    /// <exception cref="WasmOutOfMemoryException">The module's memory or tables exceed the limits, or the process has no address space left for another linear memory.</exception>
    /// <exception cref="TimeoutException">A start function or the allocator ABI check ran past <see cref="WasmHostOptions.CallTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><see cref="WasmHostOptions.LoadCancellationToken"/> was canceled while a start function or the allocator ABI check ran.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static WasmHost FromFile(string path, AllocatorContract? contract = null, WasmHostOptions? options = null)
    {
        return WasmModule.FromFile(path, WasmModule.ForHost(options)).InstantiateAndHandOver(contract, options);
    }

    /// <summary>Loads a module from its binary encoding.</summary>
    /// <param name="wasm">The module's bytes.</param>
    /// <param name="contract">The allocator exports to use, or <see langword="null"/> to detect them.</param>
    /// <param name="options">Limits and WASI grants, or <see langword="null"/> for none.</param>
    /// <returns>The loaded host, which the caller owns and must dispose.</returns>
    /// <exception cref="WasmSharedMemoryException">The bytes are not a valid module, its <c>_initialize</c> export trapped or ran past a limit, or a directory in <see cref="WasmHostOptions.PreopenedDirectories"/> does not exist, or the <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    /// <exception cref="WasmContractException">The module lacks a memory export, has no or several recognizable allocators, an allocator export has the wrong signature, it imports something that neither WASI preview 1, <see cref="WasmHostOptions.Imports"/> nor a built-in default defines with that signature, or it declares a shared memory.</exception>
    /// <exception cref="WasmTrapException">Guest code run while loading (a start function, the allocator ABI check) trapped or ran out of fuel, or a data segment lies outside memory.</exception>
    /// <exception cref="WasmOutOfMemoryException">The module's memory or tables exceed the limits, or the process has no address space left for another linear memory.</exception>
    /// <exception cref="TimeoutException">A start function or the allocator ABI check ran past <see cref="WasmHostOptions.CallTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><see cref="WasmHostOptions.LoadCancellationToken"/> was canceled while a start function or the allocator ABI check ran.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static WasmHost FromBytes(ReadOnlySpan<byte> wasm, AllocatorContract? contract = null, WasmHostOptions? options = null)
    {
        return WasmModule.FromBytes(wasm, WasmModule.ForHost(options)).InstantiateAndHandOver(contract, options);
    }

    /// <summary>Loads a module from WebAssembly text (WAT).</summary>
    /// <param name="wat">The module's text.</param>
    /// <param name="contract">The allocator exports to use, or <see langword="null"/> to detect them.</param>
    /// <param name="options">Limits and WASI grants, or <see langword="null"/> for none.</param>
    /// <returns>The loaded host, which the caller owns and must dispose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="wat"/> is <see langword="null"/>.</exception>
    /// <exception cref="WasmSharedMemoryException">The text is not a valid module, its <c>_initialize</c> export trapped or ran past a limit, or a directory in <see cref="WasmHostOptions.PreopenedDirectories"/> does not exist, or the <c>WasmSharedMemory.MaxWasmStackBytes</c> setting is not a number of bytes from 1 to 2 MiB.</exception>
    /// <exception cref="WasmContractException">The module lacks a memory export, has no or several recognizable allocators, an allocator export has the wrong signature, it imports something that neither WASI preview 1, <see cref="WasmHostOptions.Imports"/> nor a built-in default defines with that signature, or it declares a shared memory.</exception>
    /// <exception cref="WasmTrapException">Guest code run while loading (a start function, the allocator ABI check) trapped or ran out of fuel, or a data segment lies outside memory.</exception>
    /// <exception cref="WasmOutOfMemoryException">The module's memory or tables exceed the limits, or the process has no address space left for another linear memory.</exception>
    /// <exception cref="TimeoutException">A start function or the allocator ABI check ran past <see cref="WasmHostOptions.CallTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><see cref="WasmHostOptions.LoadCancellationToken"/> was canceled while a start function or the allocator ABI check ran.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static WasmHost FromText(string wat, AllocatorContract? contract = null, WasmHostOptions? options = null)
    {
        return WasmModule.FromText(wat, WasmModule.ForHost(options)).InstantiateAndHandOver(contract, options);
    }

    /// <summary>Allocates a buffer of <paramref name="length"/> elements through the module's allocator.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="length">The number of elements; 0 gives a valid empty buffer without calling the module.</param>
    /// <returns>A buffer the caller owns and must dispose.</returns>
    /// <remarks>The contents of a new buffer are whatever the allocator left there.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative, or the buffer would exceed the 4 GiB WebAssembly address space.</exception>
    /// <exception cref="WasmOutOfMemoryException">The allocator returned 0: the module's memory could not grow enough.</exception>
    /// <exception cref="WasmTrapException">The allocator trapped; the host is faulted from then on.</exception>
    /// <exception cref="TimeoutException">The allocator ran past <see cref="WasmHostOptions.CallTimeout"/>; the host is faulted from then on.</exception>
    /// <exception cref="WasmContractException">The allocator returned an address outside memory, misaligned for <typeparamref name="T"/>, or overlapping a live buffer; the host is faulted from then on.</exception>
    /// <exception cref="WasmModuleFaultedException">The host faulted earlier.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged => _guest.Heap.Allocate<T>(length);

    /// <summary>Releases the module's store and with it all its memory. Buffers still alive report <see cref="WasmBuffer{T}.IsDisposed"/>.</summary>
    /// <remarks>Calling it again does nothing.</remarks>
    /// <exception cref="InvalidOperationException">Called from a host function while the module is calling it.</exception>
    public void Dispose()
    {
        // The instance first: its Dispose waits for a call in flight and refuses new ones, so nothing it owns is in use after.
        _guest.Dispose();
        _owned?.Dispose();
    }
}
