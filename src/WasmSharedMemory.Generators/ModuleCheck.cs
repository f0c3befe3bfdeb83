using System.Collections.Generic;
using System.Linq;

namespace WasmSharedMemory.Generators;

/// <summary>Checks a binding's declared exports against the module it names, as the constructor would at run time.</summary>
internal static class ModuleCheck
{
    /// <summary>WSM0015 for a binding whose <c>[WasmModule(path)]</c> file the project does not list in AdditionalFiles.</summary>
    public static DiagnosticInfo NotListed(BindingModel binding, string path) =>
        new(DiagnosticDescriptors.ModuleNotListed.Id, binding.ClassLocation, new EquatableArray<string>(new[] { binding.ClassName, path }));

    public static IEnumerable<DiagnosticInfo> Check(BindingModel binding, ModuleInfo module)
    {
        string file = module.Path.Substring(module.Path.LastIndexOf('/') + 1);
        if (module.Error is { } error)
        {
            yield return new DiagnosticInfo(
                DiagnosticDescriptors.ModuleUnreadable.Id, binding.ClassLocation, new EquatableArray<string>(new[] { binding.ClassName, binding.ModulePath ?? file, error }));
            yield break;
        }

        Dictionary<string, string> exports = module.Exports.ToDictionary(e => e.Name, e => e.Signature);
        foreach (ExportModel export in binding.Exports.Where(e => e.Valid))
        {
            string method = binding.ClassName + "." + export.MethodName;
            if (!exports.TryGetValue(export.ExportName, out string? actual))
            {
                string listed = exports.Count == 0 ? "nothing" : string.Join(", ", module.Exports.Select(e => e.Signature.StartsWith("(") ? e.Name + e.Signature : $"{e.Name} ({e.Signature})"));
                yield return new DiagnosticInfo(
                    DiagnosticDescriptors.ExportMissing.Id, export.Location, new EquatableArray<string>(new[] { export.ExportName, method, export.Signature, file, listed }));
            }
            else if (actual != export.Signature)
            {
                string found = actual.StartsWith("(") ? actual : actual + ", not a function";
                yield return new DiagnosticInfo(
                    DiagnosticDescriptors.ExportSignatureMismatch.Id, export.Location, new EquatableArray<string>(new[] { export.ExportName, method, export.Signature, file, found }));
            }
        }
    }
}
