using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace WasmSharedMemory.Generators;

/// <summary>Every diagnostic the binding generator reports, each described once with its <c>WSM</c> id.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "WasmSharedMemory.Bindings";

    /// <summary>WSM0001: a parameter's type cannot cross into (or, for an import, from) WebAssembly.</summary>
    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
        "WSM0001",
        "Parameter type cannot cross into WebAssembly",
        "Parameter '{0}' of '{1}' has type '{2}', which a binding cannot pass: {3}");

    /// <summary>WSM0002: a return type cannot come back from WebAssembly (or, for an import, go to it).</summary>
    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "WSM0002",
        "Return type cannot cross from WebAssembly",
        "'{0}' returns '{1}', which a binding cannot return: {2}");

    /// <summary>WSM0003: a <c>[WasmModule]</c> class is not partial.</summary>
    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "WSM0003",
        "A [WasmModule] class must be partial",
        "Class '{0}' has [WasmModule] but is not partial: declare it 'partial' so the generator can implement its exports");

    /// <summary>WSM0004: a <c>[WasmExport]</c> method is not a partial declaration without a body.</summary>
    public static readonly DiagnosticDescriptor MethodNotPartial = Error(
        "WSM0004",
        "A [WasmExport] method must be partial",
        "Method '{0}' has [WasmExport] but is not a partial method without a body: declare it 'partial' and leave out the body");

    /// <summary>WSM0005: two methods of one class bind the same export.</summary>
    public static readonly DiagnosticDescriptor DuplicateExport = Error(
        "WSM0005",
        "An export is bound twice",
        "Method '{0}' binds export '{1}', which '{2}' already binds: bind each export once");

    /// <summary>WSM0006: a <c>[WasmExport]</c> method is static.</summary>
    public static readonly DiagnosticDescriptor StaticExport = Error(
        "WSM0006",
        "A [WasmExport] method must not be static",
        "Method '{0}' has [WasmExport] but is static: an export is called on the instance the constructor bound to a WasmHost");

    /// <summary>WSM0007: a <c>[WasmImport]</c> method is not static.</summary>
    public static readonly DiagnosticDescriptor ImportNotStatic = Error(
        "WSM0007",
        "A [WasmImport] method must be static",
        "Method '{0}' has [WasmImport] but is not static: imports are defined before any instance exists");

    /// <summary>WSM0008: the module named by <c>[WasmModule(path)]</c> does not export a declared function.</summary>
    public static readonly DiagnosticDescriptor ExportMissing = Error(
        "WSM0008",
        "The module does not have the export",
        "Export '{0}' of '{1}' is declared as {2}, but {3} does not export it (it exports: {4})");

    /// <summary>WSM0009: the module's export has another signature than the declaration.</summary>
    public static readonly DiagnosticDescriptor ExportSignatureMismatch = Error(
        "WSM0009",
        "The module's export has another signature",
        "Export '{0}' of '{1}' is declared as {2}, but in {3} it is {4}");

    /// <summary>WSM0010: span parameters need unsafe code, which the project does not allow.</summary>
    public static readonly DiagnosticDescriptor SpansNeedUnsafe = Error(
        "WSM0010",
        "Span parameters need AllowUnsafeBlocks",
        "Parameter '{0}' of '{1}' is a span, which the generated code pins while it copies it: set <AllowUnsafeBlocks>true</AllowUnsafeBlocks> in the project");

    /// <summary>WSM0011: the file named by <c>[WasmModule(path)]</c> is listed but is not a readable WebAssembly module.</summary>
    public static readonly DiagnosticDescriptor ModuleUnreadable = new(
        "WSM0011",
        "The module file cannot be read",
        "'{0}' names '{1}', which cannot be read as a WebAssembly module ({2}); its exports are not checked at compile time",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    /// <summary>WSM0012: a <c>[WasmModule]</c> class is nested or generic.</summary>
    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        "WSM0012",
        "A [WasmModule] class must be a top-level, non-generic class",
        "Class '{0}' has [WasmModule] but is {1}: declare the binding as a top-level, non-generic class");

    /// <summary>WSM0013: two methods of one class define the same import.</summary>
    public static readonly DiagnosticDescriptor DuplicateImport = Error(
        "WSM0013",
        "An import is defined twice",
        "Method '{0}' defines import '{1}', which '{2}' already defines: define each import once");

    /// <summary>WSM0014: a <c>[WasmExport]</c> or <c>[WasmImport]</c> method outside a <c>[WasmModule]</c> class.</summary>
    public static readonly DiagnosticDescriptor OutsideModule = Error(
        "WSM0014",
        "A [WasmExport] or [WasmImport] method must be in a [WasmModule] class",
        "Method '{0}' has [{1}] but its class '{2}' has no [WasmModule], so nothing implements or defines it: mark the class [WasmModule]");

    /// <summary>WSM0015: the file named by <c>[WasmModule(path)]</c> is not in the project's <c>AdditionalFiles</c>, so nothing was checked.</summary>
    public static readonly DiagnosticDescriptor ModuleNotListed = new(
        "WSM0015",
        "The module file is not in AdditionalFiles",
        "'{0}' names '{1}', which is not in the project's AdditionalFiles, so its exports are not checked at compile time: add <AdditionalFiles Include=\"{1}\" /> to an ItemGroup of the project",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Index(
        UnsupportedParameterType, UnsupportedReturnType, ClassNotPartial, MethodNotPartial, DuplicateExport, StaticExport,
        ImportNotStatic, ExportMissing, ExportSignatureMismatch, SpansNeedUnsafe, ModuleUnreadable, UnsupportedClass, DuplicateImport, OutsideModule, ModuleNotListed);

    /// <summary>Returns the descriptor with <paramref name="id"/>.</summary>
    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
    {
        var byId = new Dictionary<string, DiagnosticDescriptor>();
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            byId.Add(descriptor.Id, descriptor);
        }

        return byId;
    }
}
