using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace WasmSharedMemory.Generators.Tests;

/// <summary>Runs <see cref="WasmBindingGenerator"/> in-process on a snippet, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public const string FileName = "Binding.cs";

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private static readonly MetadataReference[] s_references =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Where(p => p.Length != 0)
        .Concat(new[] { typeof(WasmHost).Assembly.Location })
        .Distinct()
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .ToArray();

    /// <summary>The generator's diagnostics, and the compiler's errors in the compilation with the generated code.</summary>
    public sealed record Result(ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> CompilationErrors, GeneratorDriverRunResult Run, string Source);

    public static CSharpCompilation Compile(string source, bool allowUnsafe = true) =>
        CSharpCompilation.Create(
            "Snippet",
            new[] { CSharpSyntaxTree.ParseText(source, s_parseOptions, FileName) },
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params AdditionalText[] files) =>
        CSharpGeneratorDriver.Create(
            new[] { new WasmBindingGenerator().AsSourceGenerator() },
            files,
            s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(string source, bool allowUnsafe = true, params AdditionalText[] files)
    {
        GeneratorDriver driver = Driver(files).RunGeneratorsAndUpdateCompilation(Compile(source, allowUnsafe), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        ImmutableArray<Diagnostic> errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("WSM", StringComparison.Ordinal)).ToImmutableArray();
        return new Result(diagnostics, errors, driver.GetRunResult(), source);
    }

    /// <summary>Asserts the run reported exactly one <paramref name="id"/>, on the first occurrence of <paramref name="at"/> in the snippet, and nothing else.</summary>
    public static Diagnostic AssertSingle(Result result, string id, string at, int occurrence = 1)
    {
        Diagnostic diagnostic = Assert.Single(result.Generator);
        Assert.Equal(id, diagnostic.Id);
        AssertAt(result, diagnostic, at, occurrence);
        return diagnostic;
    }

    /// <summary>Asserts <paramref name="diagnostic"/> covers exactly the <paramref name="occurrence"/>th <paramref name="at"/> of the snippet.</summary>
    public static void AssertAt(Result result, Diagnostic diagnostic, string at, int occurrence = 1)
    {
        int start = -1;
        for (int i = 0; i < occurrence; i++)
        {
            start = result.Source.IndexOf(at, start + 1, StringComparison.Ordinal);
            Assert.True(start >= 0, $"'{at}' occurs fewer than {occurrence} times in the snippet");
        }

        Assert.Equal(FileName, diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new TextSpan(start, at.Length), diagnostic.Location.SourceSpan);
    }

    /// <summary>Wraps members in a binding class.</summary>
    public static string Binding(string members, string attribute = "[WasmModule]") => $$"""
        using System;
        using System.Threading;
        using WasmSharedMemory;

        namespace Snippets;

        {{attribute}}
        public sealed partial class Thing
        {
        {{members}}
        }
        """;
}

/// <summary>An additional file on disk, as the compiler lists one; its text is never read (the generator reads its bytes).</summary>
internal sealed class FileText : AdditionalText
{
    public FileText(string path) => Path = path;

    public override string Path { get; }

    public override SourceText? GetText(CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A binary additional file's text is never asked for: the compiler would report CS2015.");
}
