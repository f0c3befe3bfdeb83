using System;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The kernel module: a <see cref="WasmHost"/> with this library's allocator contract underneath, plus the
/// multiply kernels. The implementation behind <see cref="ISharedMemoryModule"/>.
/// </summary>
internal sealed class KernelModule : ISharedMemoryModule
{
    public const int AbiVersion = 1;

    private readonly WasmHost _host;
    private readonly GuestInstance _guest;
    private readonly KernelExport _multiplyF32;
    private readonly KernelExport _multiplyF64;
    private readonly KernelExport _multiplyI32;

    private KernelModule(ModuleVariant variant, WasmHost host, Module module)
    {
        Variant = variant;
        _host = host;
        _guest = host.Guest;
        _multiplyF32 = new KernelExport(_guest, module, "multiply_f32");
        _multiplyF64 = new KernelExport(_guest, module, "multiply_f64");
        _multiplyI32 = new KernelExport(_guest, module, "multiply_i32");
    }

    public ModuleVariant Variant { get; }

    public int LiveBuffers => _guest.LiveBuffers;

    public long LiveBytes => _guest.LiveBytes;

    public long MemoryBytes => _guest.MemoryBytes;

    public bool IsFaulted => _guest.IsFaulted;

    /// <summary>Gets the instance, for tests that inspect the guest directly.</summary>
    internal Instance Instance => _guest.Instance;

    /// <summary>Gets the guest, for tests that inspect the base pointer.</summary>
    internal GuestInstance Guest => _guest;

    /// <summary>Gets a value indicating whether every kernel is called directly rather than through Wasmtime.Dotnet's typed delegate.</summary>
    internal bool UsesDirectCalls => _multiplyF32.IsDirect && _multiplyF64.IsDirect && _multiplyI32.IsDirect;

    /// <summary>Instantiates <paramref name="module"/> as a <see cref="WasmHost"/> with this library's contract and binds the kernels.</summary>
    /// <param name="engine">The engine <paramref name="module"/> was compiled for (not interruptible: the kernels run without epoch checks).</param>
    /// <param name="module">A compiled kernel module (ours, or a test module that imitates it); not owned.</param>
    /// <param name="variant">The variant to report.</param>
    /// <param name="options">Limits, or null.</param>
    public static KernelModule Create(Engine engine, Module module, ModuleVariant variant, SharedMemoryOptions? options)
    {
        var hostOptions = options?.MaxMemoryBytes is { } max ? new WasmHostOptions { MaxMemoryBytes = max } : null;
        WasmHost host = WasmHost.Create(engine, module, AllocatorContract.WasmSharedMemory, hostOptions, interruptible: false, ownsModule: false);
        try
        {
            return new KernelModule(variant, host, module);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged => _host.Allocate<T>(length);

    public void Multiply(WasmBuffer<float> left, WasmBuffer<float> right, WasmBuffer<float> destination) =>
        Multiply(left, right, destination, _multiplyF32);

    public void Multiply(WasmBuffer<double> left, WasmBuffer<double> right, WasmBuffer<double> destination) =>
        Multiply(left, right, destination, _multiplyF64);

    public void Multiply(WasmBuffer<int> left, WasmBuffer<int> right, WasmBuffer<int> destination) =>
        Multiply(left, right, destination, _multiplyI32);

    public void Dispose() => _host.Dispose();

    private static void CheckLength(int length, int expected, string paramName)
    {
        if (length != expected)
        {
            ThrowHelper.ThrowLengthMismatch(paramName, length, expected);
        }
    }

    private void Multiply<T>(WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination, KernelExport kernel)
        where T : unmanaged
    {
        // Validated under the lock, so no other thread can dispose an operand between check and call.
        lock (_guest.Gate)
        {
            int length = Operand(left, nameof(left));
            CheckLength(Operand(right, nameof(right)), length, nameof(right));
            CheckLength(Operand(destination, nameof(destination)), length, nameof(destination));
            _guest.BeginCall(CancellationToken.None);
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
                throw _guest.CallFailed(kernel.Name, ex);
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

        GuestInstance? guest = buffer.Guest;
        if (guest is null)
        {
            ThrowHelper.ThrowOperandDisposed(paramName);
        }

        if (guest != _guest)
        {
            ThrowHelper.ThrowForeignBuffer(paramName);
        }

        return buffer.UncheckedLength;
    }
}
