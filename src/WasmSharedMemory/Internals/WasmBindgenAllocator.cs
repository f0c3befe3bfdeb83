using System.Collections.Generic;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Recognizes wasm-bindgen's allocator in every shape it has been published in, from the module itself: by name
/// (<c>__wbindgen_malloc</c> with one or two parameters, <c>__wbindgen_free</c> with two or three), or, in recent
/// builds that number their exports (<c>__wbindgen_export_0</c>, <c>_1</c>, …), by signature among the numbered
/// exports of a module that imports from a wasm-bindgen import module.
/// </summary>
internal static class WasmBindgenAllocator
{
    public const string MallocExport = "__wbindgen_malloc";
    public const string FreeExport = "__wbindgen_free";
    public const string NumberedPrefix = "__wbindgen_export_";

    /// <summary>
    /// Returns the contract of a wasm-bindgen module's allocator, or null for a module that is not a wasm-bindgen build
    /// or exports none; throws when it is one but its allocator cannot be told apart.
    /// </summary>
    /// <exception cref="WasmContractException">The allocator exports have signatures no wasm-bindgen version used, or several numbered exports could be it; the message lists them.</exception>
    public static AllocatorContract? Detect(Module module)
    {
        var functions = module.Exports.OfType<FunctionExport>().ToDictionary(f => f.Name);
        if (functions.TryGetValue(MallocExport, out FunctionExport? malloc))
        {
            return Named(module, malloc, functions);
        }

        return IsWasmBindgenBuild(module) ? Numbered(module, functions) : null;
    }

    /// <summary>
    /// Gets whether the module was built by wasm-bindgen: it imports wasm-bindgen's intrinsics (<c>__wbindgen_*</c>)
    /// or a crate's JavaScript (<c>__wbg_*</c>), from whatever import module name the build uses
    /// (<c>__wbindgen_placeholder__</c>, <c>wbg</c>, <c>./&lt;crate&gt;_bg.js</c>), or exports wasm-bindgen's own functions.
    /// </summary>
    public static bool IsWasmBindgenBuild(Module module) =>
        module.Imports.Any(i => IsWasmBindgenImport(i.ModuleName, i.Name))
        || module.Exports.Any(e => e.Name.StartsWith("__wbindgen_", System.StringComparison.Ordinal));

    /// <summary>Gets whether an import is one of wasm-bindgen's: an intrinsic or a crate's, by its name, under any module name.</summary>
    public static bool IsWasmBindgenImport(string moduleName, string name) =>
        name.StartsWith("__wbindgen_", System.StringComparison.Ordinal) || name.StartsWith("__wbg_", System.StringComparison.Ordinal)
        || moduleName == "__wbindgen_placeholder__" || moduleName == "__wbindgen_externref_xform__";

    private static AllocatorContract Named(Module module, FunctionExport malloc, Dictionary<string, FunctionExport> functions)
    {
        AllocatorParameters? allocParameters = AllocShape(malloc);
        if (allocParameters is null)
        {
            throw ExportSignatures.Mismatch(module, MallocExport, "(i32 size) -> i32 or (i32 size, i32 align) -> i32, as wasm-bindgen exports it");
        }

        FreeParameters? freeParameters = functions.TryGetValue(FreeExport, out FunctionExport? free) ? FreeShape(free) : null;
        if (freeParameters is null)
        {
            throw ExportSignatures.Mismatch(module, FreeExport, "(i32 ptr, i32 size) -> () or (i32 ptr, i32 size, i32 align) -> (), as wasm-bindgen exports it");
        }

        return allocParameters == AllocatorParameters.SizeAlignment && freeParameters == FreeParameters.PointerSizeAlignment
            ? AllocatorContract.WasmBindgen
            : AllocatorContract.Detected(nameof(AllocatorContract.WasmBindgen), MallocExport, allocParameters.Value, FreeExport, freeParameters.Value);
    }

    private static AllocatorContract? Numbered(Module module, Dictionary<string, FunctionExport> functions)
    {
        FunctionExport[] numbered = functions.Values
            .Where(f => f.Name.StartsWith(NumberedPrefix, System.StringComparison.Ordinal))
            .OrderBy(f => f.Name, System.StringComparer.Ordinal)
            .ToArray();
        if (numbered.Length == 0)
        {
            return null;
        }

        FunctionExport[] mallocs = numbered.Where(f => AllocShape(f) is not null).ToArray();
        FunctionExport[] frees = numbered.Where(f => FreeShape(f) is not null).ToArray();
        if (mallocs.Length == 1 && frees.Length == 1)
        {
            return AllocatorContract.Detected(nameof(AllocatorContract.WasmBindgen), mallocs[0].Name, AllocShape(mallocs[0])!.Value, frees[0].Name, FreeShape(frees[0])!.Value);
        }

        string Candidates(FunctionExport[] found) =>
            found.Length == 0 ? "none" : string.Join(", ", found.Select(f => $"{f.Name}{WasmTypes.Format(f.Parameters, f.Results)}"));
        throw new WasmContractException(
            $"The module is a wasm-bindgen build that numbers its exports, and its allocator cannot be told from its signatures: " +
            $"malloc (i32 size, i32 align) -> i32 or (i32 size) -> i32 could be {Candidates(mallocs)}; " +
            $"free (i32 ptr, i32 size, i32 align) -> () or (i32 ptr, i32 size) -> () could be {Candidates(frees)}. " +
            "Pass AllocatorContract.Custom(...) naming them (the package's JavaScript passes them to passStringToWasm0 and passArray8ToWasm0, and frees results with the other). " +
            $"The module exports: {ExportSignatures.ListExports(module)}.");
    }

    private static AllocatorParameters? AllocShape(FunctionExport function) =>
        function.Results.Count != 1 || function.Results[0] != ValueKind.Int32 || !AllInt32(function.Parameters) ? null
        : function.Parameters.Count switch
        {
            1 => AllocatorParameters.Size,
            2 => AllocatorParameters.SizeAlignment,
            _ => null,
        };

    private static FreeParameters? FreeShape(FunctionExport function) =>
        function.Results.Count != 0 || !AllInt32(function.Parameters) ? null
        : function.Parameters.Count switch
        {
            2 => FreeParameters.PointerSize,
            3 => FreeParameters.PointerSizeAlignment,
            _ => null,
        };

    private static bool AllInt32(IReadOnlyList<ValueKind> kinds) => kinds.All(k => k == ValueKind.Int32);
}
