using System;
using System.ComponentModel;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Bindings;

namespace WasmSharedMemory.Bindings;

/// <summary>Defines a generated binding's imports in a <see cref="WasmImports"/>, of any arity.</summary>
/// <remarks>For the source generator's <c>DefineImports</c> methods; not meant to be used directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WasmImportDefinitions
{
    /// <summary>Defines <paramref name="callback"/> for the module import <paramref name="module"/>.<paramref name="name"/> with <paramref name="signature"/>.</summary>
    /// <param name="imports">The set to define it in.</param>
    /// <param name="module">The import's module name.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="signature">Its wasm signature as messages show it, such as <c>(i32, i32) -> ()</c>.</param>
    /// <param name="callback">The generated host function.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The names are empty or WASI's, a function is already defined by that name, or <paramref name="signature"/> is not a wasm signature.</exception>
    public static void Define(WasmImports imports, string module, string name, string signature, WasmImportCallback callback)
    {
        if (imports is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(imports));
        }

        if (callback is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(callback));
        }

        imports.Define(module, name, new BindingHostFunction(BindingSignature.Parse(signature), callback));
    }
}
