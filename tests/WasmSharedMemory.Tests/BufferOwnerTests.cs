using System;
using System.IO;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The base of the typed-interop tests, which must hold whoever owns a buffer: the kernel module, the kernel
/// module's <c>.wasm</c> loaded as a <see cref="WasmHost"/>, and hosts of foreign modules (C with wasi-libc's
/// <c>malloc</c>, compiled Rust with wasm-bindgen's allocator). Every owner is tracked by the leak check.
/// </summary>
public abstract class BufferOwnerTests : LeakCheckedTests
{
    /// <summary>The kernel module, through <see cref="ISharedMemoryModule"/>.</summary>
    public const string KernelModule = nameof(KernelModule);

    /// <summary>The kernel module's SIMD build loaded as a <see cref="WasmHost"/> (the WasmSharedMemory contract).</summary>
    public const string KernelHost = nameof(KernelHost);

    /// <summary><c>imaging.wasm</c>: C compiled by clang against wasi-libc (the CMalloc contract).</summary>
    public const string CHost = nameof(CHost);

    /// <summary><c>bindgen_style.wasm</c>: compiled Rust exporting wasm-bindgen's allocator (the WasmBindgen contract).</summary>
    public const string BindgenHost = nameof(BindgenHost);

    /// <summary>Gets every owner a buffer can have.</summary>
    public static TheoryData<string> Owners => new() { KernelModule, KernelHost, CHost, BindgenHost };

    /// <summary>Gets every owner that is a <see cref="WasmHost"/>: ours and two foreign toolchains'.</summary>
    public static TheoryData<string> Hosts => new() { KernelHost, CHost, BindgenHost };

    /// <summary>Gets the path of a compiled module copied next to the tests.</summary>
    protected static string ModulePath(string file) => Path.Combine(AppContext.BaseDirectory, "Modules", file);

    /// <summary>Loads the owner named <paramref name="owner"/> and tracks it.</summary>
    protected BufferOwner Open(string owner) => owner switch
    {
        KernelModule => new BufferOwner(Load(ModuleVariant.Simd), null),
        _ => new BufferOwner(null, OpenHost(owner)),
    };

    /// <summary>Loads the host named <paramref name="owner"/> (any of <see cref="Hosts"/>) and tracks it.</summary>
    protected WasmHost OpenHost(string owner) => Track(owner switch
    {
        KernelHost => WasmHost.FromBytes(File.ReadAllBytes(ModulePath("wasm_shared_memory.simd.wasm"))),
        CHost => WasmHost.FromFile(ModulePath("imaging.wasm"), options: CModuleTests.Options()),
        BindgenHost => WasmHost.FromFile(ModulePath("bindgen_style.wasm")),
        _ => throw new ArgumentOutOfRangeException(nameof(owner), owner, "Not a host."),
    });

    /// <summary>A kernel module or a host, whichever a test runs against.</summary>
    protected sealed class BufferOwner : IDisposable
    {
        public BufferOwner(ISharedMemoryModule? module, WasmHost? host)
        {
            Module = module;
            Host = host;
        }

        public ISharedMemoryModule? Module { get; }

        public WasmHost? Host { get; }

        public int LiveBuffers => Module?.LiveBuffers ?? Host!.LiveBuffers;

        public bool IsFaulted => Module?.IsFaulted ?? Host!.IsFaulted;

        public WasmBuffer<T> Allocate<T>(int length)
            where T : unmanaged => Module is not null ? Module.Allocate<T>(length) : Host!.Allocate<T>(length);

        public void Dispose()
        {
            Module?.Dispose();
            Host?.Dispose();
        }
    }
}
