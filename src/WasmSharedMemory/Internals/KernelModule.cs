using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The implementation behind <see cref="ISharedMemoryModule"/>: a thin typed face over a <see cref="GuestInstance"/>
/// of the kernel module, whose kernels come from <see cref="KernelTable"/> and are bound when first called.
/// </summary>
internal sealed class KernelModule : ISharedMemoryModule
{
    private readonly GuestInstance _guest;
    private readonly GuestFunction?[] _kernels = new GuestFunction?[KernelTable.All.Length];

    private KernelModule(ModuleVariant variant, GuestInstance guest)
    {
        Variant = variant;
        _guest = guest;
    }

    public ModuleVariant Variant { get; }

    public int LiveBuffers => _guest.Heap.LiveBuffers;

    public long LiveBytes => _guest.Heap.LiveBytes;

    public long MemoryBytes => _guest.MemoryBytes;

    public bool IsFaulted => _guest.IsFaulted;

    /// <summary>Gets the guest, for tests that inspect it.</summary>
    internal GuestInstance Guest => _guest;

    /// <summary>Instantiates <paramref name="module"/> with this library's allocator contract.</summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for (not interruptible: the kernels run without epoch checks).</param>
    /// <param name="module">A compiled kernel module (ours, or a test module that imitates it); not owned.</param>
    /// <param name="variant">The variant to report.</param>
    /// <param name="options">Limits, or null.</param>
    public static KernelModule Create(Wasmtime.Engine engine, Wasmtime.Module module, ModuleVariant variant, SharedMemoryOptions? options)
    {
        var hostOptions = options?.MaxMemoryBytes is { } max ? new WasmHostOptions { MaxMemoryBytes = max } : null;
        return new KernelModule(variant, GuestLoader.Load(engine, module, AllocatorContract.WasmSharedMemory, hostOptions, interruptible: false));
    }

    public WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged => _guest.Heap.Allocate<T>(length);

    public void Multiply(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination) => ElementWise(KernelTable.MultiplySingle, left, right, destination);

    public void Multiply(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination) => ElementWise(KernelTable.MultiplyDouble, left, right, destination);

    public void Multiply(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination) => ElementWise(KernelTable.MultiplyInt32, left, right, destination);

    public void Add(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination) => ElementWise(KernelTable.AddSingle, left, right, destination);

    public void Add(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination) => ElementWise(KernelTable.AddDouble, left, right, destination);

    public void Add(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination) => ElementWise(KernelTable.AddInt32, left, right, destination);

    public float Dot(WasmBuffer<float> left, WasmBuffer<float> right) => Reduce(KernelTable.DotSingle, left, right);

    public double Dot(WasmBuffer<double> left, WasmBuffer<double> right) => Reduce(KernelTable.DotDouble, left, right);

    public void Dispose() => _guest.Dispose();

    /// <summary>Returns the bound export of <paramref name="kernel"/>, binding and checking it on first use. Call inside a guest call.</summary>
    /// <exception cref="WasmContractException">The module lacks the export or it has another signature.</exception>
    internal GuestFunction Kernel(KernelDescriptor kernel) =>
        _kernels[kernel.Index] ??= _guest.Bind(kernel.Export, kernel.Signature);

    /// <summary>Gets a value indicating whether the bound kernels call Wasmtime's C entry point directly; binds <paramref name="kernel"/> if needed.</summary>
    internal bool IsNative(KernelDescriptor kernel) => Kernel(kernel).IsNative;

    private void ElementWise<T>(KernelDescriptor kernel, WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination)
        where T : unmanaged
    {
        var call = new KernelCall<T>(this, kernel, left, right, destination);
        _guest.Call<KernelCall<T>, T>(ref call);
    }

    private T Reduce<T>(KernelDescriptor kernel, WasmBuffer<T> left, WasmBuffer<T> right)
        where T : unmanaged
    {
        var call = new KernelCall<T>(this, kernel, left, right, null);
        return _guest.Call<KernelCall<T>, T>(ref call);
    }
}
