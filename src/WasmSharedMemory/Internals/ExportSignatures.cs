using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals;

/// <summary>Describes a module's exports for exceptions that say what was expected and what the module has.</summary>
internal static class ExportSignatures
{
    /// <summary>The exception for an export that is missing or does not have <paramref name="expected"/>.</summary>
    public static WasmContractException Mismatch(Module module, string name, string expected)
    {
        Export? found = module.Exports.FirstOrDefault(e => e.Name == name);
        string actual = found switch
        {
            null => $"the module does not export it (it exports: {ListExports(module)})",
            FunctionExport function => $"the module's is {WasmTypes.Format(function.Parameters, function.Results)}",
            _ => $"the module exports a {found.GetType().Name.Replace("Export", string.Empty).ToLowerInvariant()} by that name, not a function",
        };
        return new WasmContractException($"Export '{name}' must be a function {expected}, but {actual}.");
    }

    /// <summary>Lists a module's exports with their kinds, for messages.</summary>
    public static string ListExports(Module module) =>
        module.Exports.Count == 0
            ? "nothing"
            : string.Join(", ", module.Exports.Select(e => e is FunctionExport f
                ? $"{e.Name}{WasmTypes.Format(f.Parameters, f.Results)}"
                : $"{e.Name} ({e.GetType().Name.Replace("Export", string.Empty).ToLowerInvariant()})"));
}
