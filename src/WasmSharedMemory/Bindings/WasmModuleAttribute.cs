using System;

namespace WasmSharedMemory;

/// <summary>
/// Marks a <see langword="partial"/> class as a binding to one WebAssembly module: the package's source generator
/// implements its <see cref="WasmExportAttribute"/> methods, a constructor taking the <see cref="WasmHost"/>, and,
/// when it declares <see cref="WasmImportAttribute"/> methods, a <c>static void DefineImports(WasmImports imports)</c>.
/// </summary>
/// <remarks>
/// When <see cref="Path"/> names the module's <c>.wasm</c> and the project lists that file in <c>AdditionalFiles</c>,
/// the generator reads the module at compile time and reports a declared export the module lacks, or whose
/// signature differs, as a compile error.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WasmModuleAttribute : Attribute
{
    /// <summary>Initializes a new instance for a module the generator does not read at compile time.</summary>
    public WasmModuleAttribute()
    {
    }

    /// <summary>Initializes a new instance naming the module's file, checked at compile time when it is listed in <c>AdditionalFiles</c>.</summary>
    /// <param name="path">The <c>.wasm</c> file, as the project lists it in <c>AdditionalFiles</c> (matched by its end).</param>
    public WasmModuleAttribute(string path) => Path = path;

    /// <summary>Gets the module's file, or <see langword="null"/> when none is named.</summary>
    public string? Path { get; }

    /// <summary>Gets or sets how the class's strings, spans, arrays and buffers cross: C's (the default) or wasm-bindgen's.</summary>
    public WasmConvention Convention { get; set; }
}
