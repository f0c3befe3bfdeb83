using Microsoft.CodeAnalysis;
using static WasmSharedMemory.Generators.Tests.GeneratorHarness;

namespace WasmSharedMemory.Generators.Tests;

/// <summary>Each WSM diagnostic the generator reports from a snippet alone, by id and location.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void UnsupportedParameterType_IsWSM0001OnTheType()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial int F(int ok, object notOk);
            """));

        Diagnostic diagnostic = AssertSingle(result, "WSM0001", "object");
        Assert.Contains("'notOk' of 'Thing.F' has type 'object'", diagnostic.GetMessage());
        Assert.Empty(result.CompilationErrors);
    }

    [Fact]
    public void CancellationTokenNotLast_IsWSM0001OnTheType()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial void F(CancellationToken token, int value);
            """));

        Diagnostic diagnostic = AssertSingle(result, "WSM0001", "CancellationToken");
        Assert.Contains("must be the last parameter", diagnostic.GetMessage());
    }

    [Fact]
    public void ImportParameterOfABuffer_IsWSM0001OnTheType()
    {
        var result = Run(Binding("""
                [WasmImport("env", "log")]
                private static void Log(WasmBuffer<byte> text) { }
            """));

        AssertSingle(result, "WSM0001", "WasmBuffer<byte>");
    }

    [Fact]
    public void UnsupportedReturnType_IsWSM0002OnTheReturnType()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public partial decimal F();
            """));

        AssertSingle(result, "WSM0002", "decimal");
        Assert.Empty(result.CompilationErrors);
    }

    [Fact]
    public void ClassNotPartial_IsWSM0003OnItsName()
    {
        var result = Run("""
            using WasmSharedMemory;

            [WasmModule]
            public sealed class Whole
            {
            }
            """);

        AssertSingle(result, "WSM0003", "Whole");
    }

    [Fact]
    public void ExportWithABody_IsWSM0004OnItsName()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public int Bodied() => 1;
            """));

        AssertSingle(result, "WSM0004", "Bodied");
        Assert.Empty(result.CompilationErrors);
    }

    [Fact]
    public void DuplicateExport_IsWSM0005OnTheSecondMethod()
    {
        var result = Run(Binding("""
                [WasmExport("same")]
                public partial int First();

                [WasmExport("same")]
                public partial int Second();
            """));

        Diagnostic diagnostic = AssertSingle(result, "WSM0005", "Second");
        Assert.Contains("'First' already binds", diagnostic.GetMessage());
    }

    [Fact]
    public void StaticExport_IsWSM0006OnItsName()
    {
        var result = Run(Binding("""
                [WasmExport("f")]
                public static partial int Lonely();
            """));

        AssertSingle(result, "WSM0006", "Lonely");
        Assert.Empty(result.CompilationErrors);
    }

    [Fact]
    public void InstanceImport_IsWSM0007OnItsName()
    {
        var result = Run(Binding("""
                [WasmImport("env", "log")]
                private void Log(int value) { }
            """));

        AssertSingle(result, "WSM0007", "Log");
    }

    [Fact]
    public void SpanWithoutUnsafe_IsWSM0010OnTheType()
    {
        var result = Run(
            Binding("""
                [WasmExport("sum")]
                public partial int Sum(ReadOnlySpan<byte> bytes, int length);
            """),
            allowUnsafe: false);

        AssertSingle(result, "WSM0010", "ReadOnlySpan<byte>");
    }

    [Fact]
    public void NestedClass_IsWSM0012OnItsName()
    {
        var result = Run("""
            using WasmSharedMemory;

            public static partial class Outer
            {
                [WasmModule]
                public sealed partial class Inner
                {
                }
            }
            """);

        AssertSingle(result, "WSM0012", "Inner");
    }

    [Fact]
    public void DuplicateImport_IsWSM0013OnTheSecondMethod()
    {
        var result = Run(Binding("""
                [WasmImport("env", "log")]
                private static void LogOnce(int value) { }

                [WasmImport("env", "log")]
                private static void LogTwice(int value) { }
            """));

        AssertSingle(result, "WSM0013", "LogTwice");
    }

    [Fact]
    public void ExportOutsideAModuleClass_IsWSM0014OnItsName()
    {
        var result = Run("""
            using WasmSharedMemory;

            public sealed partial class Unmarked
            {
                [WasmExport("f")]
                public partial int Stray();
            }
            """);

        Diagnostic diagnostic = AssertSingle(result, "WSM0014", "Stray");
        Assert.Contains("[WasmExport]", diagnostic.GetMessage());
    }

    [Fact]
    public void ImportOutsideAModuleClass_IsWSM0014OnItsName()
    {
        var result = Run("""
            using WasmSharedMemory;

            public static class Unmarked
            {
                [WasmImport("env", "log")]
                public static void Log(int value) { }
            }
            """);

        AssertSingle(result, "WSM0014", "Log");
    }
}
