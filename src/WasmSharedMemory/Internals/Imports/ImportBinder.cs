using System;
using System.Collections.Generic;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// Defines a module's imports in a linker: each one from the user's <see cref="WasmImports"/>, else from the
/// <see cref="BuiltInImports"/> when one matches it exactly, after checking signatures; anything else refused
/// by name and signature before instantiation.
/// </summary>
internal static class ImportBinder
{
    /// <summary>Defines every import of <paramref name="module"/> outside <paramref name="skipModule"/> in <paramref name="linker"/>.</summary>
    /// <exception cref="WasmContractException">A defined import has another signature, or an import is defined by nothing; the message names each.</exception>
    public static void Define(Linker linker, Module module, WasmImports? imports, HostCallScope scope, string skipModule)
    {
        var missing = new List<string>();
        bool memoryMade = false;
        foreach (Import import in module.Imports)
        {
            if (import.ModuleName == skipModule)
            {
                continue;
            }

            if (import is MemoryImport && !memoryMade)
            {
                memoryMade = true; // the host made the first memory import (ImportLinker)
                continue;
            }

            if (import is not FunctionImport function)
            {
                missing.Add($"{import.ModuleName}.{import.Name} (a {KindName(import)}, which only the module can provide)");
                continue;
            }

            string wanted = WasmTypes.Format(function.Parameters, function.Results);
            if (imports?.Find(import.ModuleName, import.Name) is { } defined)
            {
                if (!Matches(defined.Signature, function))
                {
                    throw new WasmContractException(
                        $"Import {import.ModuleName}.{import.Name} is {wanted} in the module, but the callback WasmHostOptions.Imports defines for it is {defined.Signature.Text}.");
                }

                DefineFunction(linker, function, defined, scope);
                continue;
            }

            BuiltInImport? builtIn = BuiltInImports.Find(function);
            if (builtIn is not null && Matches(builtIn.Signature, function))
            {
                DefineFunction(linker, function, builtIn, scope);
                continue;
            }

            if (WasmBindgenImports.Find(function) is { } intrinsic)
            {
                DefineFunction(linker, function, intrinsic, scope);
                continue;
            }

            missing.Add(builtIn is not null
                ? $"{import.ModuleName}.{import.Name} {wanted} (the built-in one is {builtIn.Toolchain}'s {builtIn.Signature.Text})"
                : WasmBindgenImports.Describe(import.Name) is { } intrinsicSignatures && WasmBindgenImports.IsImportModule(import.ModuleName)
                ? $"{import.ModuleName}.{import.Name} {wanted} (wasm-bindgen's built-in one is {intrinsicSignatures}; a build with reference types passes externref, which the host does not)"
                : import.Name.StartsWith("__wbg_", StringComparison.Ordinal)
                ? $"{import.ModuleName}.{import.Name} {wanted} (the crate's own JavaScript import)"
                : $"{import.ModuleName}.{import.Name} {wanted}");
        }

        if (missing.Count > 0)
        {
            throw new WasmContractException(
                $"The module imports {string.Join(", ", missing)}, which nothing defines. Define each function with WasmHostOptions.Imports.Define(module, name, callback); " +
                $"the host itself defines only WASI preview 1 ({skipModule}) and, where the module imports them with these signatures, {string.Join(", ", BuiltInImports.All.Concat(EmscriptenImports.All).Select(b => b.ToString()))}, " +
                "embind's _embind_register_* as no-ops, and wasm-bindgen's intrinsics (__wbindgen_*) under its import modules (__wbindgen_placeholder__, wbg, ./<crate>_bg.js).");
        }
    }

    /// <summary>
    /// Whether <paramref name="signature"/> can serve the import: the same parameters, and the same result or, for an
    /// import that returns nothing, any result, which is discarded. C# binds a lambda with a value-bodied or throwing
    /// body (<c>() => count++</c>, <c>x => throw e</c>) to a <c>Func</c> overload, and dropping the value is what
    /// binding it to the <c>Action</c> one would have done.
    /// </summary>
    private static bool Matches(WasmSignature signature, FunctionImport function) =>
        signature.Is(function.Parameters, function.Results) || (function.Results.Count == 0 && signature.Takes(function.Parameters));

    private static void DefineFunction(Linker linker, FunctionImport import, IHostFunction function, HostCallScope scope)
    {
        // The import's own signature, which may drop the callback's result (see Matches).
        linker.DefineFunction(
            import.ModuleName,
            import.Name,
            (caller, arguments, results) =>
            {
                try
                {
                    function.Invoke(scope, caller, arguments, results);
                }
                catch (Exception ex)
                {
                    // Recorded here rather than read back from Wasmtime's trap: the export call that led here
                    // reports this exception itself, whatever Wasmtime wraps it in. Wasmtime gets a stand-in
                    // whose message it can always read: it fails fast when reading a message throws.
                    scope.Failed(ex);
                    throw new HostFunctionFailure(ex);
                }

                // A call the function made back in faulted the module, and the function caught that and returned:
                // the guest must not go on over state that can no longer be trusted.
                scope.ThrowIfFaulted();
            },
            import.Parameters,
            import.Results);
    }

    private static string KindName(Import import) =>
        import.GetType().Name.Replace("Import", string.Empty).ToLowerInvariant();
}
