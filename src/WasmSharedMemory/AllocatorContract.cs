using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory;

/// <summary>
/// Names the exports through which a module allocates and frees the blocks behind <see cref="WasmBuffer{T}"/>,
/// and says which arguments they take.
/// </summary>
public sealed class AllocatorContract
{
    private static readonly WasmSignature s_allocSize = WasmSignature.Int32s(1, ValueKind.Int32, "(i32 size) -> i32");
    private static readonly WasmSignature s_allocSizeAlign = WasmSignature.Int32s(2, ValueKind.Int32, "(i32 size, i32 align) -> i32");
    private static readonly WasmSignature s_allocSizeClassId = WasmSignature.Int32s(2, ValueKind.Int32, "(i32 size, i32 classId) -> i32");
    private static readonly WasmSignature s_pin = WasmSignature.Int32s(1, ValueKind.Int32, "(i32 ptr) -> i32");
    private static readonly WasmSignature s_freePointer = WasmSignature.Int32s(1, null, "(i32 ptr) -> ()");
    private static readonly WasmSignature s_freePointerSize = WasmSignature.Int32s(2, null, "(i32 ptr, i32 size) -> ()");
    private static readonly WasmSignature s_freePointerSizeAlign = WasmSignature.Int32s(3, null, "(i32 ptr, i32 size, i32 align) -> ()");

    private AllocatorContract(string name, string allocExport, AllocatorParameters allocParameters, string freeExport, FreeParameters freeParameters, string? pinExport = null)
    {
        Name = name;
        AllocExport = allocExport;
        AllocParameters = allocParameters;
        FreeExport = freeExport;
        FreeParameters = freeParameters;
        PinExport = pinExport;
    }

    /// <summary>Gets the contract of this library's kernel module: <c>wsm_alloc(size, align)</c> and <c>wsm_free(ptr, size, align)</c>.</summary>
    public static AllocatorContract WasmSharedMemory { get; } =
        new(nameof(WasmSharedMemory), "wsm_alloc", AllocatorParameters.SizeAlignment, "wsm_free", FreeParameters.PointerSizeAlignment);

    /// <summary>Gets wasm-bindgen's contract: <c>__wbindgen_malloc(size, align)</c> and <c>__wbindgen_free(ptr, size, align)</c>.</summary>
    /// <remarks>
    /// A host that is given no contract recognizes every shape wasm-bindgen has published by itself: older builds'
    /// <c>__wbindgen_malloc(size)</c> and <c>__wbindgen_free(ptr, size)</c>, and recent builds' numbered exports
    /// (<c>__wbindgen_export_0</c>, <c>_1</c>, …), told apart by their signatures.
    /// </remarks>
    public static AllocatorContract WasmBindgen { get; } =
        new(nameof(WasmBindgen), "__wbindgen_malloc", AllocatorParameters.SizeAlignment, "__wbindgen_free", FreeParameters.PointerSizeAlignment);

    /// <summary>Gets the C library's contract, as clang, wasi-libc and emscripten export it: <c>malloc(size)</c> and <c>free(ptr)</c>.</summary>
    /// <remarks>
    /// <c>malloc</c> takes no alignment; wasi-libc's and Emscripten's allocators align their blocks to 8 bytes, which
    /// is all the library asks of it for its own blocks, and the host checks every address against the element type.
    /// </remarks>
    public static AllocatorContract CMalloc { get; } =
        new(nameof(CMalloc), "malloc", AllocatorParameters.Size, "free", FreeParameters.Pointer);

    /// <summary>
    /// Gets AssemblyScript's contract, as <c>asc --exportRuntime</c> exports it: <c>__new(size, 0)</c> then
    /// <c>__pin(ptr)</c> to allocate, <c>__unpin(ptr)</c> to free.
    /// </summary>
    /// <remarks>
    /// The runtime is garbage-collected: a block only the host refers to must be pinned, or a later collection
    /// frees it under the buffer. Unpinned, the block is garbage that a later allocation or <c>__collect</c>
    /// reclaims. <c>__new</c> zero-fills and 16-byte-aligns its blocks; when memory cannot grow it traps
    /// instead of returning 0.
    /// </remarks>
    public static AllocatorContract AssemblyScript { get; } =
        new(nameof(AssemblyScript), "__new", AllocatorParameters.SizeClassId, "__unpin", FreeParameters.Pointer, pinExport: "__pin");

    /// <summary>Gets the contract's name: <c>WasmSharedMemory</c>, <c>WasmBindgen</c>, <c>CMalloc</c>, <c>AssemblyScript</c> or the custom one's.</summary>
    public string Name { get; }

    /// <summary>Gets the name of the export that allocates a block.</summary>
    public string AllocExport { get; }

    /// <summary>Gets the parameters the allocation export takes.</summary>
    public AllocatorParameters AllocParameters { get; }

    /// <summary>Gets the name of the export that frees a block.</summary>
    public string FreeExport { get; }

    /// <summary>Gets the parameters the free export takes.</summary>
    public FreeParameters FreeParameters { get; }

    /// <summary>Describes a module's own allocator exports.</summary>
    /// <param name="name">A name for messages, such as the toolchain's.</param>
    /// <param name="allocExport">The export that allocates; it returns the address, or 0 on failure.</param>
    /// <param name="allocParameters">The arguments <paramref name="allocExport"/> takes.</param>
    /// <param name="freeExport">The export that frees.</param>
    /// <param name="freeParameters">The arguments <paramref name="freeExport"/> takes.</param>
    /// <returns>The contract, to pass to <see cref="WasmHost.FromFile"/> and its siblings.</returns>
    /// <exception cref="ArgumentException">A name is null or empty, or a parameter kind is undefined.</exception>
    public static AllocatorContract Custom(string name, string allocExport, AllocatorParameters allocParameters, string freeExport, FreeParameters freeParameters)
    {
        RequireName(name, nameof(name));
        RequireName(allocExport, nameof(allocExport));
        RequireName(freeExport, nameof(freeExport));
        if ((uint)allocParameters > (uint)AllocatorParameters.SizeClassId)
        {
            throw new ArgumentException($"Undefined AllocatorParameters value {allocParameters}.", nameof(allocParameters));
        }

        if ((uint)freeParameters > (uint)FreeParameters.PointerSizeAlignment)
        {
            throw new ArgumentException($"Undefined FreeParameters value {freeParameters}.", nameof(freeParameters));
        }

        return new AllocatorContract(name, allocExport, allocParameters, freeExport, freeParameters);
    }

    /// <summary>A contract found in a module rather than named by the user: wasm-bindgen's in one of its published shapes.</summary>
    internal static AllocatorContract Detected(string name, string allocExport, AllocatorParameters allocParameters, string freeExport, FreeParameters freeParameters) =>
        new(name, allocExport, allocParameters, freeExport, freeParameters);

    /// <summary>Describes the contract: its name and both exports' signatures.</summary>
    /// <returns>For example <c>CMalloc: malloc(i32 size) -> i32, free(i32 ptr) -> ()</c>.</returns>
    public override string ToString() =>
        $"{Name}: {AllocExport}{AllocSignature.Text}{(PinExport is null ? string.Empty : $" then {PinExport}{PinSignature.Text}")}, {FreeExport}{FreeSignature.Text}";

    /// <summary>Gets the export called with every new block's address right after it is allocated (AssemblyScript's <c>__pin</c>), or null.</summary>
    internal string? PinExport { get; }

    internal WasmSignature PinSignature => s_pin;

    /// <summary>
    /// Gets the alignment every block of this contract's allocator has without being asked: any requested one for an
    /// allocator that takes the alignment, 16 for AssemblyScript's <c>__new</c>, 8 for a <c>malloc</c>-style one (as
    /// wasi-libc's and Emscripten's <c>malloc</c> give; C requires no more of them on wasm32 in practice).
    /// </summary>
    internal int GuaranteedAlignment => AllocParameters switch
    {
        AllocatorParameters.SizeAlignment => int.MaxValue,
        AllocatorParameters.SizeClassId => 16,
        _ => 8,
    };

    internal WasmSignature AllocSignature => AllocParameters switch
    {
        AllocatorParameters.Size => s_allocSize,
        AllocatorParameters.SizeAlignment => s_allocSizeAlign,
        _ => s_allocSizeClassId,
    };

    internal WasmSignature FreeSignature => FreeParameters switch
    {
        FreeParameters.Pointer => s_freePointer,
        FreeParameters.PointerSize => s_freePointerSize,
        _ => s_freePointerSizeAlign,
    };

    private static void RequireName(string value, string paramName)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException("The name must not be null or empty.", paramName);
        }
    }
}
