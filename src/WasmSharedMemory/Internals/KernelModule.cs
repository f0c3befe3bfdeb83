using System;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>The kernel module loaded into its own store: the implementation behind <see cref="ISharedMemoryModule"/>.</summary>
internal sealed class KernelModule : ISharedMemoryModule
{
    public const int AbiVersion = 1;

    private readonly GuestHeap _heap;
    private readonly KernelExport _multiplyF32;
    private readonly KernelExport _multiplyF64;
    private readonly KernelExport _multiplyI32;

    private KernelModule(ModuleVariant variant, Store store, Instance instance, GuestHeap heap)
    {
        Variant = variant;
        Instance = instance;
        _heap = heap;
        _multiplyF32 = new KernelExport(store, instance, "multiply_f32");
        _multiplyF64 = new KernelExport(store, instance, "multiply_f64");
        _multiplyI32 = new KernelExport(store, instance, "multiply_i32");
    }

    public ModuleVariant Variant { get; }

    public int LiveBuffers => _heap.LiveBuffers;

    public long LiveBytes => _heap.LiveBytes;

    public long MemoryBytes => _heap.MemoryBytes;

    public bool IsFaulted => _heap.IsFaulted;

    /// <summary>Gets the instance, for tests that inspect the guest directly.</summary>
    internal Instance Instance { get; }

    /// <summary>Gets the heap, for tests that inspect the base pointer.</summary>
    internal GuestHeap Heap => _heap;

    /// <summary>Gets a value indicating whether every kernel is called directly rather than through Wasmtime.Dotnet's typed delegate.</summary>
    internal bool UsesDirectCalls => _multiplyF32.IsDirect && _multiplyF64.IsDirect && _multiplyI32.IsDirect;

    /// <summary>Instantiates <paramref name="module"/> in a new store and checks it exports the kernel ABI.</summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for.</param>
    /// <param name="module">A compiled kernel module (ours, or a test module that imitates it).</param>
    /// <param name="variant">The variant to report.</param>
    /// <param name="options">Limits, or null.</param>
    public static KernelModule Create(Engine engine, Module module, ModuleVariant variant, SharedMemoryOptions? options)
    {
        long? maxMemoryBytes = options?.MaxMemoryBytes;
        if (maxMemoryBytes is { } max)
        {
            long initial = InitialMemoryBytes(module);
            if (max < initial || max > 1L << 32)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(options),
                    max,
                    $"MaxMemoryBytes must lie between the module's initial memory of {initial} bytes and 4 GiB.");
            }
        }

        var store = new Store(engine);
        try
        {
            if (maxMemoryBytes is not null)
            {
                store.SetLimits(memorySize: maxMemoryBytes);
            }

            var instance = new Instance(store, module);
            Memory memory = instance.GetMemory("memory")
                ?? throw new WasmContractException("The module does not export its linear memory as 'memory'.");
            if (memory.Is64Bit)
            {
                throw new WasmContractException("The module's memory 'memory' is 64-bit; the library supports 32-bit linear memory.");
            }

            var version = instance.GetFunction<int>("wsm_abi_version")
                ?? throw MissingExport("wsm_abi_version", "() -> i32");
            int abi = version();
            if (abi != AbiVersion)
            {
                throw new WasmContractException($"The module speaks allocator ABI version {abi}; this library speaks version {AbiVersion}.");
            }

            var heap = new GuestHeap(
                store,
                memory,
                instance.GetFunction<int, int, int>("wsm_alloc") ?? throw MissingExport("wsm_alloc", "(i32 size, i32 align) -> i32"),
                "wsm_alloc",
                instance.GetAction<int, int, int>("wsm_free") ?? throw MissingExport("wsm_free", "(i32 ptr, i32 size, i32 align) -> ()"),
                "wsm_free",
                maxMemoryBytes);
            return new KernelModule(variant, store, instance, heap);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged => _heap.Allocate<T>(length);

    public void Multiply(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination) =>
        Multiply(left, right, destination, _multiplyF32);

    public void Multiply(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination) =>
        Multiply(left, right, destination, _multiplyF64);

    public void Multiply(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination) =>
        Multiply(left, right, destination, _multiplyI32);

    public void Dispose() => _heap.Dispose();

    private static long InitialMemoryBytes(Module module) =>
        module.Exports.OfType<MemoryExport>().Where(e => e.Name == "memory").Select(e => e.Minimum * Memory.PageSize).FirstOrDefault();

    private static WasmContractException MissingExport(string name, string signature) =>
        new($"The module does not export function '{name}' with signature {signature}.");

    private void Multiply<T>(WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination, KernelExport kernel)
        where T : unmanaged
    {
        // Validated under the lock, so no other thread can dispose an operand between check and call.
        lock (_heap.Gate)
        {
            int length = Operand(left, nameof(left));
            CheckLength(Operand(right, nameof(right)), length, nameof(right));
            CheckLength(Operand(destination, nameof(destination)), length, nameof(destination));
            _heap.ThrowIfUnusable();
            if (length == 0)
            {
                return;
            }

            try
            {
                kernel.Invoke(length, unchecked((int)destination.UncheckedAddress), unchecked((int)left.UncheckedAddress), unchecked((int)right.UncheckedAddress));
            }
            catch (WasmtimeException ex)
            {
                throw _heap.Trapped(kernel.Name, ex);
            }
        }
    }

    private int Operand<T>(WasmBuffer<T> buffer, string paramName)
        where T : unmanaged
    {
        if (buffer is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        GuestHeap? heap = buffer.Heap;
        if (heap is null)
        {
            ThrowHelper.ThrowOperandDisposed(paramName);
        }

        if (heap != _heap)
        {
            ThrowHelper.ThrowForeignBuffer(paramName);
        }

        return buffer.UncheckedLength;
    }

    private static void CheckLength(int length, int expected, string paramName)
    {
        if (length != expected)
        {
            ThrowHelper.ThrowLengthMismatch(paramName, length, expected);
        }
    }
}
