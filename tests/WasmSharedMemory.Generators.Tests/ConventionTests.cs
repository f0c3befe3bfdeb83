using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static WasmSharedMemory.Generators.Tests.GeneratorHarness;

namespace WasmSharedMemory.Generators.Tests;

/// <summary>How a class's convention and <c>[WasmTransfer]</c> shape the signatures and code the generator writes.</summary>
public sealed class ConventionTests
{
    private const string WasmBindgen = "[WasmModule(Convention = WasmConvention.WasmBindgen)]";

    private const string EveryWasmBindgenKind = """
            [WasmExport("bytes")]
            public partial byte[] Bytes(ReadOnlySpan<byte> input, byte[] array, string text, Span<int> inPlace, WasmBuffer<float> kept, [WasmTransfer] WasmBuffer<long> given, int scalar);

            [WasmExport("text")]
            public partial string Text(string text);

            [WasmExport("count")]
            public partial int Count(string text);

            [WasmExport("result")]
            public partial void Result(out long value, string text);
        """;

    [Fact]
    public void WasmBindgen_PointerAndLengthPairsAndTheReturnArea_ShapeTheSignatures()
    {
        var result = Run(Binding(EveryWasmBindgenKind, WasmBindgen));

        Assert.Empty(result.Generator);
        Assert.Empty(result.CompilationErrors);
        string text = Assert.Single(Assert.Single(result.Run.Results).GeneratedSources).SourceText.ToString();

        // A Vec result: the return area first, then (ptr, len) per slice, string and buffer, and the scalar.
        Assert.Contains("\"(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) -> ()\"", text);
        Assert.Contains("\"(i32, i32, i32) -> ()\"", text); // string Text(string): return area, ptr, len
        Assert.Contains("\"(i32, i32) -> i32\"", text); // int Count(string): no return area
        Assert.Contains("builder.ReturnArea(__wasmExport0, \"Thing.Bytes\")", text);
        Assert.DoesNotContain("builder.ReturnArea(__wasmExport2", text);
        Assert.Contains("frame.PassArray<byte>(3, ", text);
        Assert.Contains(", true)", text);
        Assert.Contains("frame.WriteUtf8(5, _p2)", text);
        Assert.Contains("frame.PassArray<int>(7, ", text);
        Assert.Contains("frame.WriteSlice(9, _p4, \"kept\", false)", text);
        Assert.Contains("frame.WriteSlice(11, _p5, \"given\", true)", text);
        Assert.Contains("return frame.ResultArray<byte>();", text);
        Assert.Contains("return frame.ResultUtf8();", text);

        var compiled = Compile(Binding(EveryWasmBindgenKind, WasmBindgen))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(Assert.Single(Assert.Single(result.Run.Results).GeneratedSources).SourceText, new CSharpParseOptions(LanguageVersion.Latest), "Generated.cs"));
        Assert.Empty(compiled.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void C_IsTheDefault_AndTransferKeepsItsSignature()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial int F([WasmTransfer] string text, [WasmTransfer] ReadOnlySpan<byte> bytes, [WasmTransfer] WasmBuffer<int> buffer, byte[] array);
            """));

        Assert.Empty(result.Generator);
        Assert.Empty(result.CompilationErrors);
        string text = Assert.Single(Assert.Single(result.Run.Results).GeneratedSources).SourceText.ToString();
        Assert.Contains("\"(i32, i32, i32, i32) -> i32\"", text);
        Assert.Contains("frame.Write(0, _p0, true)", text);
        Assert.Contains("frame.CopyIn<byte>(1, ", text);
        Assert.Contains("frame.Write(2, _p2, \"buffer\", true)", text);
        Assert.Contains("frame.CopyIn<byte>(3, new global::System.ReadOnlySpan<byte>(_p3, _n3))", text);
    }

    [Fact]
    public void TransferOfASpan_IsWSM0001SayingWhy()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial void F([WasmTransfer] Span<byte> bytes);
            """));

        Diagnostic diagnostic = AssertSingle(result, "WSM0001", "Span<byte>");
        Assert.Contains("cannot apply to a Span<T>", diagnostic.GetMessage());
    }

    [Fact]
    public void TransferOfAScalar_IsWSM0001()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial void F([WasmTransfer] int value);
            """));

        Diagnostic diagnostic = AssertSingle(result, "WSM0001", "int");
        Assert.Contains("[WasmTransfer] applies only to a string, a ReadOnlySpan<T>, an array or a WasmBuffer<T>", diagnostic.GetMessage());
    }

    [Fact]
    public void ArrayResult_UnderC_IsWSM0002()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial byte[] F();
            """));

        AssertSingle(result, "WSM0002", "byte[]");
    }
}
