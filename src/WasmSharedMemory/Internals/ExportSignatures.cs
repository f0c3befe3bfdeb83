using System;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>Formats wasm signatures for exceptions that say what was expected and what the module has.</summary>
internal static class ExportSignatures
{
    /// <summary>The exception for an export that is missing or does not have <paramref name="expected"/>.</summary>
    public static WasmContractException Mismatch(Module module, string name, string expected)
    {
        Export? found = module.Exports.FirstOrDefault(e => e.Name == name);
        string actual = found switch
        {
            null => $"the module does not export it (it exports: {ListExports(module)})",
            FunctionExport function => $"the module's is {Format(function)}",
            _ => $"the module exports a {found.GetType().Name.Replace("Export", string.Empty).ToLowerInvariant()} by that name, not a function",
        };
        return new WasmContractException($"Export '{name}' must be a function {expected}, but {actual}.");
    }

    /// <summary>Formats a signature as <c>(i32, f32) -> i32</c>.</summary>
    public static string Format(ValueKind[] parameters, ValueKind? result) =>
        $"({string.Join(", ", parameters.Select(Kind))}) -> {(result is { } kind ? Kind(kind) : "()")}";

    /// <summary>Lists a module's exports with their kinds, for messages.</summary>
    public static string ListExports(Module module) =>
        module.Exports.Count == 0
            ? "nothing"
            : string.Join(", ", module.Exports.Select(e => e is FunctionExport f ? $"{e.Name}{Format(f)}" : $"{e.Name} ({e.GetType().Name.Replace("Export", string.Empty).ToLowerInvariant()})"));

    private static string Format(FunctionExport function) =>
        $"({string.Join(", ", function.Parameters.Select(Kind))}) -> " +
        (function.Results.Count switch
        {
            0 => "()",
            1 => Kind(function.Results[0]),
            _ => $"({string.Join(", ", function.Results.Select(Kind))})",
        });

    /// <summary>Formats a value kind as WAT spells it: <c>i32</c>, <c>f64</c>.</summary>
    public static string Kind(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => "i32",
        ValueKind.Int64 => "i64",
        ValueKind.Float32 => "f32",
        ValueKind.Float64 => "f64",
        ValueKind.V128 => "v128",
        _ => kind.ToString(),
    };
}
