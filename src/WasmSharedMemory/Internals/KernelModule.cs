using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Loading;
using WasmSharedMemory.Internals.Parallel;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The implementation behind <see cref="ISharedMemoryModule"/>: a <see cref="WasmHost"/> of the kernel module, so
/// memory, allocation, exports, counters and faults are the host's own members, plus the kernels, which come from
/// <see cref="KernelTable"/> and are bound when first called.
/// </summary>
internal sealed class KernelModule : WasmHost, ISharedMemoryModule
{
    private readonly KernelCrew? _crew;
    private readonly GuestFunction?[] _kernels = new GuestFunction?[KernelTable.Bindable.Length];

    private KernelModule(ModuleVariant variant, GuestInstance guest, KernelCrew? crew = null)
        : base(guest, owned: crew)
    {
        Variant = variant;
        _crew = crew;
    }

    public ModuleVariant Variant { get; }

    public int Parallelism => _crew?.Parallelism ?? 1;

    public WasmHost Host => this;

    /// <summary>Gets the extra instances a call splits across, or null for a module of one instance.</summary>
    internal KernelCrew? Crew => _crew;

    /// <summary>Instantiates <paramref name="module"/> with this library's allocator contract.</summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for (not interruptible: the kernels run without epoch checks).</param>
    /// <param name="module">A compiled kernel module (ours, or a test module that imitates it); not owned.</param>
    /// <param name="variant">The variant to report.</param>
    /// <param name="options">Limits, or null.</param>
    public static KernelModule Create(Wasmtime.Engine engine, Wasmtime.Module module, ModuleVariant variant, SharedMemoryOptions? options) =>
        new(variant, Instantiation.Instantiate(GuestSpec.ForKernels(engine, module, options, shared: false)));

    /// <summary>
    /// Instantiates <paramref name="module"/> (a shared-memory build) over a new shared memory, then
    /// <paramref name="parallelism"/> - 1 more times over the same memory: the first instance allocates and runs
    /// calls; the others run parts of them.
    /// </summary>
    /// <remarks><c>engine</c> may create shared memories and compiled <c>module</c>.</remarks>
    public static KernelModule CreateParallel(Wasmtime.Engine engine, Wasmtime.Module module, ModuleVariant variant, SharedMemoryOptions? options, int parallelism)
    {
        GuestInstance guest = Instantiation.Instantiate(GuestSpec.ForKernels(engine, module, options, shared: true));
        try
        {
            uint heapBase = guest.Instance.GetGlobal("__heap_base")?.GetValue() is int value ? unchecked((uint)value) : 0;
            return new KernelModule(variant, guest, KernelCrew.Start(engine, module, (Native.SharedLinearMemory)guest.Memory, parallelism, heapBase));
        }
        catch
        {
            guest.Dispose();
            throw;
        }
    }

    public void Multiply(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination) => Write(KernelTable.MultiplySingle, destination, left, right);

    public void Multiply(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination) => Write(KernelTable.MultiplyDouble, destination, left, right);

    public void Multiply(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination) => Write(KernelTable.MultiplyInt32, destination, left, right);

    public void Add(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination) => Write(KernelTable.AddSingle, destination, left, right);

    public void Add(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination) => Write(KernelTable.AddDouble, destination, left, right);

    public void Add(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination) => Write(KernelTable.AddInt32, destination, left, right);

    public void Scale(WasmBuffer<float> source, float factor, WasmBuffer<float> destination) => Write(KernelTable.ScaleSingle, destination, source, null, factor);

    public void Scale(WasmBuffer<double> source, double factor, WasmBuffer<double> destination) => Write(KernelTable.ScaleDouble, destination, source, null, factor);

    public float Dot(WasmBuffer<float> left, WasmBuffer<float> right) => Reduce(KernelTable.DotSingle, left, right);

    public double Dot(WasmBuffer<double> left, WasmBuffer<double> right) => Reduce(KernelTable.DotDouble, left, right);

    /// <summary>Returns the bound export of <paramref name="kernel"/>, binding and checking it on first use. Call inside a guest call.</summary>
    /// <exception cref="WasmContractException">The module lacks the export or it has another signature.</exception>
    internal GuestFunction Kernel(KernelDescriptor kernel) =>
        _kernels[kernel.Index] ??= Guest.Bind(kernel.Export, kernel.Signature);

    /// <summary>Gets a value indicating whether the bound kernels call Wasmtime's C entry point directly; binds <paramref name="kernel"/> if needed.</summary>
    internal bool IsNative(KernelDescriptor kernel) => Kernel(kernel).IsNative;

    /// <summary>Calls <paramref name="kernel"/>, which writes a destination, with its buffers (and scalar) in the row's operand order.</summary>
    private void Write<T>(KernelDescriptor kernel, WasmBuffer<T> first, WasmBuffer<T> second, WasmBuffer<T>? third = null, T scalar = default)
        where T : unmanaged
    {
        var call = new KernelCall<T>(this, kernel, first, second, third, scalar);
        Run(ref call);
    }

    /// <summary>Calls reduction <paramref name="kernel"/>, whose result type is <typeparamref name="T"/>, with its buffers in the row's operand order.</summary>
    private T Reduce<T>(KernelDescriptor kernel, WasmBuffer<T> left, WasmBuffer<T> right)
        where T : unmanaged
    {
        System.Diagnostics.Debug.Assert(kernel.Result == typeof(T), $"{kernel} returns {kernel.Result}");
        var call = new KernelCall<T>(this, kernel, left, right);
        return Run(ref call);
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the module's own instance; on a parallel module whose own instance another
    /// thread's call holds, a call too small to split runs whole on an idle worker's instance instead of queueing
    /// (only when every instance is busy does it wait), so calls from several threads run side by side.
    /// </summary>
    private T Run<T>(ref KernelCall<T> call)
        where T : unmanaged
    {
        if (_crew is null)
        {
            return Guest.Call<KernelCall<T>, T>(ref call);
        }

        if (Guest.TryCall<KernelCall<T>, T>(ref call, out T result))
        {
            return result;
        }

        // A call big enough to split would use every instance anyway: beside another call it would only take the
        // worker that call splits across (two callers of 64K floats measured 16 % slower together than one alone).
        if (!call.MaySplit(_crew.Policy.MinSplitBytes) && _crew.TryTakeIdle() is { } worker)
        {
            try
            {
                if (Guest.TryCallBeside<KernelCall<T>, T>(ref call, worker.Kernels, out result))
                {
                    return result;
                }
            }
            finally
            {
                worker.Release();
            }
        }

        return Guest.Call<KernelCall<T>, T>(ref call);
    }
}
