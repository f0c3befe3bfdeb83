using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WasmSharedMemory.Generators;

/// <summary>Reads a <c>[WasmModule]</c> class into a <see cref="BindingModel"/>, with a diagnostic on the syntax of each problem.</summary>
internal static class BindingParser
{
    public const string ModuleAttribute = "WasmSharedMemory.WasmModuleAttribute";
    public const string ExportAttribute = "WasmSharedMemory.WasmExportAttribute";
    public const string ImportAttribute = "WasmSharedMemory.WasmImportAttribute";
    public const string TransferAttribute = "WasmSharedMemory.WasmTransferAttribute";

    /// <summary>The value of <c>WasmConvention.WasmBindgen</c>.</summary>
    private const int WasmBindgenConvention = 1;

    public static BindingModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        string? path = context.Attributes[0].ConstructorArguments.FirstOrDefault().Value as string;
        bool wasmBindgen = context.Attributes[0].NamedArguments.Any(a => a.Key == "Convention" && a.Value.Value is int value && value == WasmBindgenConvention);

        bool canGenerate = true;
        if (!type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, declaration.Identifier.GetLocation(), type.Name));
            canGenerate = false;
        }

        if (type.ContainingType is not null || type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedClass, declaration.Identifier.GetLocation(), type.Name, type.ContainingType is not null ? "nested in another type" : "generic"));
            canGenerate = false;
        }

        // Spans are pinned by the generated code, which needs unsafe code allowed.
        bool allowUnsafe = context.SemanticModel.Compilation.Options is CSharpCompilationOptions { AllowUnsafe: true };
        var exports = new List<ExportModel>();
        var imports = new List<ImportModel>();
        var exportNames = new Dictionary<string, string>();
        var importNames = new Dictionary<string, string>();
        foreach (IMethodSymbol method in type.GetMembers().OfType<IMethodSymbol>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (AttributeData attribute in method.GetAttributes())
            {
                string? attributeName = attribute.AttributeClass?.ToDisplayString();
                if (attributeName == ExportAttribute && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string exportName)
                {
                    ExportModel? export = ParseExport(type, method, exportName, allowUnsafe, wasmBindgen, diagnostics, cancellationToken);
                    if (export is null)
                    {
                        continue;
                    }

                    if (exportNames.TryGetValue(exportName, out string? first))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateExport, method.Locations.FirstOrDefault(), method.Name, exportName, first));
                    }
                    else
                    {
                        exportNames.Add(exportName, method.Name);
                    }

                    exports.Add(export);
                }
                else if (attributeName == ImportAttribute && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[0].Value is string module && attribute.ConstructorArguments[1].Value is string name)
                {
                    ImportModel? import = ParseImport(method, module, name, diagnostics, cancellationToken);
                    string key = module + "." + name;
                    if (import is not null && importNames.TryGetValue(key, out string? first))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateImport, method.Locations.FirstOrDefault(), method.Name, key, first));
                    }
                    else if (import is not null)
                    {
                        importNames.Add(key, method.Name);
                        imports.Add(import);
                    }
                }
            }
        }

        string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new BindingModel(
            ns,
            type.Name,
            (ns is null ? string.Empty : ns + ".") + type.Name + ".WasmBinding.g.cs",
            path,
            canGenerate,
            exports.Any(e => e.Parameters.Any(p => p.Marshal is Marshal.Span or Marshal.ReadOnlySpan)),
            EquatableArray<ExportModel>.From(exports),
            EquatableArray<ImportModel>.From(imports),
            EquatableArray<DiagnosticInfo>.From(diagnostics),
            LocationInfo.From(declaration.Identifier.GetLocation()));
    }

    /// <summary>WSM0014 for a bound method whose class has no <c>[WasmModule]</c>; null when it has one.</summary>
    public static DiagnosticInfo? OutsideModule(GeneratorAttributeSyntaxContext context)
    {
        INamedTypeSymbol? type = context.TargetSymbol.ContainingType;
        if (type is null || type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ModuleAttribute))
        {
            return null;
        }

        string attribute = context.Attributes[0].AttributeClass?.Name.Replace("Attribute", string.Empty) ?? "WasmExport";
        return DiagnosticInfo.Create(
            DiagnosticDescriptors.OutsideModule, ((MethodDeclarationSyntax)context.TargetNode).Identifier.GetLocation(), context.TargetSymbol.Name, attribute, type.Name);
    }

    /// <summary>Reads an export method; null when it cannot be implemented at all (not a partial declaration).</summary>
    private static ExportModel? ParseExport(INamedTypeSymbol type, IMethodSymbol method, string exportName, bool allowUnsafe, bool wasmBindgen, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        Location? location = syntax?.Identifier.GetLocation() ?? method.Locations.FirstOrDefault();
        if (syntax is null || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || syntax.Body is not null || syntax.ExpressionBody is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotPartial, location, method.Name));
            return null;
        }

        bool valid = true;
        if (method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticExport, location, method.Name));
            valid = false;
        }

        string display = type.Name + "." + method.Name;
        var parameters = new List<ValueModel>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            ValueModel? model = TypeMapper.ExportParameter(parameter, i == method.Parameters.Length - 1, out string reason);
            if (model is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedParameterType, ParameterTypeLocation(parameter, cancellationToken), parameter.Name, display, parameter.Type.ToDisplayString(), reason));
                valid = false;

                // A stand-in so the stub keeps the declaration's signature.
                model = new ValueModel(TypeMapper.Escape(parameter.Name), TypeMapper.Display(parameter.Type), Marshal.Scalar, Scalar.None, null, null, string.Empty);
            }
            else if (!allowUnsafe && model.Marshal is Marshal.Span or Marshal.ReadOnlySpan)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpansNeedUnsafe, ParameterTypeLocation(parameter, cancellationToken), parameter.Name, display));
                valid = false;
            }

            else if (TransferProblem(parameter, model) is { } transferProblem)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedParameterType, ParameterTypeLocation(parameter, cancellationToken), parameter.Name, display, parameter.Type.ToDisplayString(), transferProblem));
                valid = false;
            }

            bool pointerAndLength = wasmBindgen && model.Marshal is Marshal.String or Marshal.ReadOnlySpan or Marshal.Span or Marshal.Buffer;
            parameters.Add(model with { Modifier = Modifier(parameter.RefKind), Transfer = HasTransfer(parameter), PointerAndLength = pointerAndLength });
        }

        if (!TypeMapper.Result(method.ReturnType, allowString: true, allowArray: wasmBindgen, out ValueModel? result, out string resultReason))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedReturnType, syntax.ReturnType.GetLocation(), display, method.ReturnType.ToDisplayString(), resultReason));
            valid = false;
            result = new ValueModel(string.Empty, TypeMapper.Display(method.ReturnType), Marshal.Scalar, Scalar.None, null, null, string.Empty);
        }

        string modifiers = string.Join(" ", syntax.Modifiers.Select(m => m.Text));

        // wasm-bindgen returns a String or Vec through a return area whose address is the export's first parameter.
        bool returnArea = wasmBindgen && result is { Marshal: Marshal.String or Marshal.Array };
        string signature = returnArea
            ? "(" + string.Join(", ", new[] { "i32" }.Concat(parameters.Where(p => p.Wasm.Length != 0).Select(WasmValues))) + ") -> ()"
            : Signature(parameters, result);
        return new ExportModel(method.Name, exportName, modifiers, result, EquatableArray<ValueModel>.From(parameters), signature, valid, LocationInfo.From(location)) { ReturnArea = returnArea };
    }

    private static ImportModel? ParseImport(IMethodSymbol method, string module, string name, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        Location? location = syntax?.Identifier.GetLocation() ?? method.Locations.FirstOrDefault();
        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImportNotStatic, location, method.Name));
            return null;
        }

        string display = method.ContainingType.Name + "." + method.Name;
        bool valid = true;
        var parameters = new List<ValueModel>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            ValueModel? model = TypeMapper.ImportParameter(parameter, i == 0, out string reason);
            if (model is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedParameterType, ParameterTypeLocation(parameter, cancellationToken), parameter.Name, display, parameter.Type.ToDisplayString(), reason));
                valid = false;
                continue;
            }

            parameters.Add(model);
        }

        if (!TypeMapper.Result(method.ReturnType, allowString: false, out ValueModel? result, out string resultReason))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedReturnType, syntax?.ReturnType.GetLocation() ?? location, display, method.ReturnType.ToDisplayString(), resultReason));
            valid = false;
        }

        return new ImportModel(method.Name, module, name, result, EquatableArray<ValueModel>.From(parameters), Signature(parameters, result), valid);
    }

    /// <summary>Formats the wasm signature as the library's messages do: <c>(i32, i64) -> f32</c>, <c>() -> ()</c>.</summary>
    private static string Signature(IEnumerable<ValueModel> parameters, ValueModel? result) =>
        "(" + string.Join(", ", parameters.Where(p => p.Wasm.Length != 0).Select(WasmValues)) + ") -> " + (result is null || result.Wasm.Length == 0 ? "()" : result.Wasm);

    private static string WasmValues(ValueModel parameter) => parameter.PointerAndLength ? parameter.Wasm + ", i32" : parameter.Wasm;

    private static bool HasTransfer(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TransferAttribute);

    /// <summary>Why <c>[WasmTransfer]</c> cannot apply to the parameter, or null when it is not there or can.</summary>
    private static string? TransferProblem(IParameterSymbol parameter, ValueModel model) =>
        !HasTransfer(parameter) ? null
        : model.Marshal is Marshal.String or Marshal.ReadOnlySpan or Marshal.Buffer ? null
        : model.Marshal == Marshal.Span
            ? "[WasmTransfer] cannot apply to a Span<T>, which is copied back after the call from a block the host must still own; pass a ReadOnlySpan<T> or a WasmBuffer<T>"
            : "[WasmTransfer] applies only to a string, a ReadOnlySpan<T>, an array or a WasmBuffer<T>, whose block the export takes ownership of";

    private static string Modifier(RefKind kind) => kind switch
    {
        RefKind.Out => "out ",
        RefKind.Ref => "ref ",
        RefKind.In => "in ",
        _ => string.Empty,
    };

    private static Location? ParameterTypeLocation(IParameterSymbol parameter, CancellationToken cancellationToken) =>
        parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } typeSyntax }
            ? typeSyntax.GetLocation()
            : parameter.Locations.FirstOrDefault();
}
