using System;
using System.IO;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The base of the typed-interop tests, which must hold whoever owns a buffer: the kernel module, the kernel
/// module's <c>.wasm</c> loaded as a <see cref="WasmHost"/>, and hosts of foreign modules (C with wasi-libc's
/// <c>malloc</c>, compiled Rust with wasm-bindgen's allocator). Every owner is a <see cref="WasmHost"/> (the kernel
/// module derives from it), so the tests take one type. Every owner is tracked by the leak check.
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

    /// <summary>Gets every owner a buffer can have; each is a <see cref="WasmHost"/>, the kernel module included.</summary>
    public static TheoryData<string> Owners => new() { KernelModule, KernelHost, CHost, BindgenHost };

    /// <summary>Loads the owner named <paramref name="owner"/> (any of <see cref="Owners"/>) and tracks it.</summary>
    protected WasmHost Open(string owner) => owner switch
    {
        KernelModule => Load(ModuleVariant.Simd).Host,
        KernelHost => Track(WasmHost.FromBytes(File.ReadAllBytes(ToolchainModules.Path("wasm_shared_memory.simd.wasm")))),
        CHost => Track(WasmHost.FromFile(ToolchainModules.C, options: CModuleTests.Options())),
        BindgenHost => Track(WasmHost.FromFile(ToolchainModules.Path("bindgen_style.wasm"))),
        _ => throw new ArgumentOutOfRangeException(nameof(owner), owner, "Not an owner."),
    };
}
