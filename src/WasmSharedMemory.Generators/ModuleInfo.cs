using System;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;


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
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            ModuleExport[] exports = WasmModuleReader.ReadExports(ReadBytes(file.Path))
                .Select(e => new ModuleExport(e.Key, e.Value))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToArray();
            return new ModuleInfo(path, new EquatableArray<ModuleExport>(exports), null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or IOException or UnauthorizedAccessException)
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

    /// <summary>
    /// Reads the module's bytes from its path. An additional file reaches a generator only as text, and the compiler
    /// refuses to decode a binary one (CS2015, "is a binary file instead of a text file") when its text is asked
    /// for, so the bytes are read from the file the project listed, which the compiler hands over unread.
    /// </summary>
#pragma warning disable RS1035 // File IO: the one way to a listed binary file's bytes (see above).
    private static byte[] ReadBytes(string path) => File.ReadAllBytes(path);
#pragma warning restore RS1035
}
