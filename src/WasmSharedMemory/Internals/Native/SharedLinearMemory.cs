using System;
using System.Text;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals.Native;

/// <summary>
/// A WebAssembly <c>shared</c> linear memory made through Wasmtime's C API, which Wasmtime.Dotnet does not wrap:
/// the one memory every instance of a parallel kernel module imports as <c>env.memory</c>.
/// </summary>
/// <remarks>
/// The memory never moves (its base is fixed at creation and stays put as any instance grows it), so buffers
/// cache pointers into it as they do into an exported memory. Store limits do not govern a shared memory's
/// growth; its declared maximum does, and that is where <see cref="InstanceOptions.MaxMemoryBytes"/> goes.
/// Each instance that imports it holds its own reference (<see cref="Share"/>), so the memory is unmapped when every
/// reference and every store are gone.
/// </remarks>
internal sealed unsafe class SharedLinearMemory : LinearMemory
{
    private static readonly byte[] s_moduleName = Encoding.UTF8.GetBytes("env");
    private static readonly byte[] s_memoryName = Encoding.UTF8.GetBytes("memory");

    private readonly byte* _base;
    private readonly ulong _maximumPages;
    private nint _handle;

    private SharedLinearMemory(nint handle, ulong maximumPages)
    {
        _handle = handle;
        _maximumPages = maximumPages;
        _base = WasmtimeApi.wasmtime_sharedmemory_data(handle);
    }

    public override byte* Base => _base;

    public override long Length => (long)WasmtimeApi.wasmtime_sharedmemory_data_size(Handle);

    public override bool HasMoved => WasmtimeApi.wasmtime_sharedmemory_data(Handle) != _base;

    public override long? DeclaredMaximumPages => (long)_maximumPages;

    public override long Grow(long pages)
    {
        ulong previous;
        nint error = WasmtimeApi.wasmtime_sharedmemory_grow(Handle, (ulong)pages, &previous);
        if (error != 0)
        {
            NativeErrors.Take(error); // memory.grow's answer is -1; the error says no more than that
            return -1;
        }

        return (long)previous;
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(SharedLinearMemory));

    /// <summary>Creates a shared 32-bit memory of <paramref name="minimumPages"/> pages that may grow to <paramref name="maximumPages"/>.</summary>
    /// <remarks><c>engine</c>'s config must have allowed shared memories (<see cref="NativeBoundary.EnableSharedMemory"/>).</remarks>
    /// <exception cref="WasmOutOfMemoryException">Wasmtime could not reserve or commit the memory.</exception>
    public static SharedLinearMemory Create(Engine engine, ulong minimumPages, ulong maximumPages)
    {
        nint type;
        nint error = WasmtimeApi.wasmtime_memorytype_new(minimumPages, 1, maximumPages, 0, 1, 16, &type);
        if (error != 0)
        {
            throw new WasmSharedMemoryException($"Wasmtime refused a shared memory type of {minimumPages} to {maximumPages} pages: {NativeErrors.Take(error)}");
        }

        nint memory;
        try
        {
            error = WasmtimeApi.wasmtime_sharedmemory_new(NativeBoundary.HandleOf(engine), type, &memory);
            GC.KeepAlive(engine);
        }
        finally
        {
            WasmtimeApi.wasm_memorytype_delete(type);
        }

        if (error != 0)
        {
            string message = NativeErrors.Take(error);
            throw new WasmOutOfMemoryException(
                (long)minimumPages * Memory.PageSize,
                $"Wasmtime could not create the shared linear memory of a parallel module ({minimumPages} pages, growing to at most {maximumPages}): {message}");
        }

        return new SharedLinearMemory(memory, maximumPages);
    }

    /// <summary>Returns another reference to this memory, which the instance that joins it owns and disposes.</summary>
    public SharedLinearMemory Share() => new(WasmtimeApi.wasmtime_sharedmemory_clone(Handle), _maximumPages);

    /// <summary>Defines this memory as <c>env.memory</c> in <paramref name="linker"/>, which copies the reference.</summary>
    /// <exception cref="WasmSharedMemoryException">Wasmtime refused the definition.</exception>
    public void DefineIn(Linker linker, Store store)
    {
        var item = new WasmtimeExtern { Kind = WasmtimeExtern.SharedMemoryKind, SharedMemory = Handle };
        nint error;
        fixed (byte* module = s_moduleName)
        fixed (byte* name = s_memoryName)
        {
            error = WasmtimeApi.wasmtime_linker_define(
                NativeBoundary.HandleOf(linker), NativeBoundary.ContextOf(store), module, (nuint)s_moduleName.Length, name, (nuint)s_memoryName.Length, &item);
        }

        GC.KeepAlive(linker);
        GC.KeepAlive(store);
        if (error != 0)
        {
            throw new WasmSharedMemoryException($"Wasmtime refused to define the shared memory as env.memory: {NativeErrors.Take(error)}");
        }
    }

    /// <summary>Drops this reference; stores whose instances import the memory keep it mapped until they are disposed.</summary>
    public override void Dispose()
    {
        nint handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != 0)
        {
            WasmtimeApi.wasmtime_sharedmemory_delete(handle);
        }
    }
}
