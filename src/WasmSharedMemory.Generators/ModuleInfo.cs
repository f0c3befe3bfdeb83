using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace WasmSharedMemory.Generators;

/// <summary>One export of a module read at compile time: a function's signature, or another kind's name.</summary>
internal sealed record ModuleExport(string Name, string Signature);

/// <summary>A <c>.wasm</c> listed in <c>AdditionalFiles</c>, read once per change of the file.</summary>
internal sealed record ModuleInfo(string Path, EquatableArray<ModuleExport> Exports, string? Error)
{
    /// <summary>Reads an additional file as a module; a file that is not one keeps the reason in <see cref="Error"/>.</summary>
    public static ModuleInfo Read(AdditionalText file, CancellationToken cancellationToken)
    {
        string path = Normalize(file.Path);
        SourceText? text = file.GetText(cancellationToken);
        if (text is null)
        {
            return new ModuleInfo(path, EquatableArray<ModuleExport>.Empty, "the compiler could not read the file");
        }

        try
        {
            // Additional files reach a generator only as text: the compiler decoded the bytes as UTF-8 if they were
            // valid UTF-8, else with a one-byte code page, and either encodes them back to the same bytes.
            byte[] bytes = (text.Encoding ?? System.Text.Encoding.UTF8).GetBytes(text.ToString());
            ModuleExport[] exports = WasmModuleReader.ReadExports(bytes)
                .Select(e => new ModuleExport(e.Key, e.Value))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToArray();
            return new ModuleInfo(path, new EquatableArray<ModuleExport>(exports), null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return new ModuleInfo(path, EquatableArray<ModuleExport>.Empty, ex.Message);
        }
    }

    /// <summary>Whether this file is the one <c>[WasmModule(path)]</c> names: the same path, or one that ends with it.</summary>
    public bool IsNamedBy(string named)
    {
        string wanted = Normalize(named).TrimStart('.', '/');
        return Path == Normalize(named) || Path.EndsWith("/" + wanted, StringComparison.OrdinalIgnoreCase) || Path.Equals(wanted, StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string path) => path.Replace('\\', '/');
}
