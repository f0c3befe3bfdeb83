using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WasmSharedMemory.Generators;

/// <summary>
/// Implements <c>[WasmModule]</c> classes: each <c>[WasmExport]</c> partial method as a call through the library's
/// one guarded path, a constructor that binds and checks every export, and <c>DefineImports</c> for <c>[WasmImport]</c>
/// methods; and, when the class names a <c>.wasm</c> listed in <c>AdditionalFiles</c>, checks the exports against it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class WasmBindingGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<BindingModel> bindings = context.SyntaxProvider.ForAttributeWithMetadataName(
            BindingParser.ModuleAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (attributeContext, cancellationToken) => BindingParser.Parse(attributeContext, cancellationToken));

        IncrementalValueProvider<EquatableArray<ModuleInfo>> modules = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) => ModuleInfo.Read(file, cancellationToken))
            .Collect()
            .Select(static (all, _) => EquatableArray<ModuleInfo>.From(all));

        context.RegisterSourceOutput(bindings.Combine(modules), static (output, input) => Execute(output, input.Left, input.Right));

        // A bound method in a class the generator never sees would otherwise fail with the compiler's own, vaguer error.
        foreach (string attribute in new[] { BindingParser.ExportAttribute, BindingParser.ImportAttribute })
        {
            IncrementalValuesProvider<DiagnosticInfo?> strays = context.SyntaxProvider.ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (attributeContext, _) => BindingParser.OutsideModule(attributeContext));
            context.RegisterSourceOutput(strays, static (output, stray) =>
            {
                if (stray is not null)
                {
                    output.ReportDiagnostic(stray.ToDiagnostic());
                }
            });
        }
    }

    private static void Execute(SourceProductionContext output, BindingModel binding, EquatableArray<ModuleInfo> modules)
    {
        foreach (DiagnosticInfo diagnostic in binding.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (binding.ModulePath is { } path)
        {
            if (modules.FirstOrDefault(m => m.IsNamedBy(path)) is { } module)
            {
                foreach (DiagnosticInfo diagnostic in ModuleCheck.Check(binding, module))
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            }
            else
            {
                output.ReportDiagnostic(ModuleCheck.NotListed(binding, path).ToDiagnostic());
            }
        }

        if (binding.CanGenerate)
        {
            output.AddSource(binding.HintName, SourceEmitter.Emit(binding));
        }
    }
}
