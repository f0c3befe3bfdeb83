using System;

namespace WasmSharedMemory;

/// <summary>
/// Marks a <see langword="static"/> method of a <see cref="WasmModuleAttribute"/> class as the host function for the
/// module's import <see cref="Module"/>.<see cref="Name"/>; the generated <c>DefineImports(WasmImports)</c> defines it.
/// </summary>
/// <remarks>
/// Parameters and result take the scalar types a <see cref="WasmExportAttribute"/> method takes (no buffers,
/// strings or spans: the module passes addresses, which a leading <see cref="GuestMemory"/> parameter reads), in
/// any number. The method runs on the thread that called into the module, as a <see cref="WasmImports"/> callback does.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WasmImportAttribute : Attribute
{
    /// <summary>Initializes a new instance for the import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    public WasmImportAttribute(string module, string name) => (Module, Name) = (module, name);

    /// <summary>Gets the import's module name.</summary>
    public string Module { get; }

    /// <summary>Gets the import's name.</summary>
    public string Name { get; }
}
