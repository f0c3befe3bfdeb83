using Microsoft.CodeAnalysis;
using System.Collections.Generic;
using System.IO;
using static WasmSharedMemory.Generators.Tests.GeneratorHarness;

namespace WasmSharedMemory.Generators.Tests;

/// <summary>The compile-time check of declared exports against the module <c>[WasmModule(path)]</c> names and the project lists in AdditionalFiles.</summary>
public sealed class ModuleCheckTests
{
    [Fact]
    public void MatchingExports_ReportNothing()
    {
        var result = Run(Binding("""
                [WasmExport("add")]
                public partial int Add(int a, int b);
            """, "[WasmModule(\"modules/tiny.wasm\")]"), true, Tiny());

        Assert.Empty(result.Generator);
        Assert.Empty(result.CompilationErrors);
    }

    [Fact]
    public void MissingExport_IsWSM0008OnTheMethodNamingWhatTheModuleExports()
    {
        var result = Run(Binding("""
                [WasmExport("subtract")]
                public partial int Subtract(int a, int b);
            """, "[WasmModule(\"tiny.wasm\")]"), true, Tiny());

        Diagnostic diagnostic = AssertSingle(result, "WSM0008", "Subtract");
        Assert.Equal(
            "Export 'subtract' of 'Thing.Subtract' is declared as (i32, i32) -> i32, but tiny.wasm does not export it (it exports: add(i32, i32) -> i32, memory (a memory))",
            diagnostic.GetMessage());
    }

    [Fact]
    public void DifferentSignature_IsWSM0009OnTheMethodNamingBothSignatures()
    {
        var result = Run(Binding("""
                [WasmExport("add")]
                public partial long Add(long a, int b);
            """, "[WasmModule(\"tiny.wasm\")]"), true, Tiny());

        Diagnostic diagnostic = AssertSingle(result, "WSM0009", "Add");
        Assert.Equal("Export 'add' of 'Thing.Add' is declared as (i64, i32) -> i64, but in tiny.wasm it is (i32, i32) -> i32", diagnostic.GetMessage());
    }

    [Fact]
    public void ExportOfAnotherKind_IsWSM0009()
    {
        var result = Run(Binding("""
                [WasmExport("memory")]
                public partial void ItsMemory();
            """, "[WasmModule(\"tiny.wasm\")]"), true, Tiny());

        Diagnostic diagnostic = AssertSingle(result, "WSM0009", "ItsMemory");
        Assert.EndsWith("it is a memory, not a function", diagnostic.GetMessage());
    }

    [Fact]
    public void FileThatIsNotAModule_IsWSM0011WarningOnTheClass()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wsm-{System.Guid.NewGuid():N}", "broken.wasm");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not wasm");

        var result = Run(Binding(string.Empty, "[WasmModule(\"broken.wasm\")]"), true, new FileText(path));

        Diagnostic diagnostic = AssertSingle(result, "WSM0011", "Thing");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("no \\0asm magic number", diagnostic.GetMessage());
    }

    [Fact]
    public void ModuleNotListed_IsWSM0015WarningOnTheClassWithTheLineThatFixesIt()
    {
        var result = Run(Binding("""
                [WasmExport("anything")]
                public partial void Anything();
            """, "[WasmModule(\"elsewhere.wasm\")]"), true, Tiny());

        Diagnostic diagnostic = AssertSingle(result, "WSM0015", "Thing");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'Thing' names 'elsewhere.wasm', which is not in the project's AdditionalFiles, so its exports are not checked", diagnostic.GetMessage());
        Assert.Contains("<AdditionalFiles Include=\"elsewhere.wasm\" />", diagnostic.GetMessage());
        Assert.Empty(result.CompilationErrors); // the binding is still generated; it is checked at run time
    }

    [Fact]
    public void ModuleWithoutPath_IsNotReported()
    {
        var result = Run(Binding("""
                [WasmExport("anything")]
                public partial void Anything();
            """));

        Assert.Empty(result.Generator);
    }

    [Fact]
    public void Reader_EmscriptenModule_ReadsEveryExportAfterItsImports()
    {
        Dictionary<string, string> exports = WasmModuleReader.ReadExports(File.ReadAllBytes(Path.Combine(System.AppContext.BaseDirectory, "Modules", "signal.wasm")));

        Assert.Equal("(i32, i32, i32, i32, i32) -> ()", exports["fir"]);
        Assert.Equal("(i32, i32) -> f32", exports["rms"]);
        Assert.Equal("(i32) -> i32", exports["malloc"]);
        Assert.Equal("a memory", exports["memory"]);
        Assert.Equal("a table", exports["__indirect_function_table"]);
        Assert.Equal(17, exports.Count);
    }

    /// <summary>A module importing <c>env.log</c> (function 0) and exporting <c>add</c> (function 1) and its memory.</summary>
    private static FileText Tiny()
    {
        var bytes = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        Section(bytes, 1, 2, 0x60, 2, 0x7F, 0x7F, 1, 0x7F, 0x60, 0, 0);
        Section(bytes, 2, 1, 3, (byte)'e', (byte)'n', (byte)'v', 3, (byte)'l', (byte)'o', (byte)'g', 0, 1);
        Section(bytes, 3, 1, 0);
        Section(bytes, 5, 1, 0, 1);
        Section(bytes, 7, 2, 3, (byte)'a', (byte)'d', (byte)'d', 0, 1, 6, (byte)'m', (byte)'e', (byte)'m', (byte)'o', (byte)'r', (byte)'y', 2, 0);
        Section(bytes, 10, 1, 7, 0, 0x20, 0, 0x20, 1, 0x6A, 0x0B);

        string path = Path.Combine(Path.GetTempPath(), $"wsm-{System.Guid.NewGuid():N}", "modules", "tiny.wasm");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes.ToArray());
        return new FileText(path);
    }

    private static void Section(List<byte> bytes, byte id, params byte[] content)
    {
        bytes.Add(id);
        bytes.Add((byte)content.Length);
        bytes.AddRange(content);
    }
}
