using System;
using System.Collections.Generic;
using System.Globalization;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The imports the host defines by itself for toolchains: AssemblyScript's <c>abort</c> from a start function (issue 21,
/// class 3), and a user's definition replacing the built-in <c>env.trace</c> of seven parameters (class 6).
/// </summary>
public sealed class BuiltInImportTests : LeakCheckedTests
{
    private const string AbortImport = """(import "env" "abort" (func $abort (param i32 i32 i32 i32)))""";

    // AssemblyScript strings: UTF-16LE code units, their byte length as a u32 just before them.
    private const string Strings = """
        (data (i32.const 508) "\0a\00\00\00b\00o\00o\00m\00!\00")
        (data (i32.const 540) "\08\00\00\00a\00.\00t\00s\00")
        """;

    [Fact]
    public void BuiltInAbort_FromAStartFunction_DecodesTheMessageFileLineAndColumnIntoTheLoadsTrap()
    {
        // Top-level AssemblyScript code runs in the start function: a throw there is an abort before the module exists.
        string module = HostModules.Module(
            HostModules.CMalloc,
            Strings + """(func $start (call $abort (i32.const 512) (i32.const 544) (i32.const 12) (i32.const 5))) (start $start)""",
            imports: AbortImport);

        var ex = Assert.Throws<WasmTrapException>(() => WasmHost.FromText(module));

        Assert.Equal("(start)", ex.ExportName);
        Assert.True(ex.Message.Contains("AssemblyScript abort: \"boom!\" at a.ts:12:5."), ex.Message);
        Assert.Equal("AssemblyScript abort: \"boom!\" at a.ts:12:5.", Assert.IsType<WasmSharedMemoryException>(ex.InnerException).Message);
    }

    [Theory]
    [InlineData(0, 0, "\"(no message)\" at (no file)")]
    [InlineData(2, 544, "\"(unreadable string at 0x00000002)\" at a.ts")] // its length would sit below address 0
    [InlineData(65534, 544, "\"(unreadable string at 0x0000FFFE)\" at a.ts")] // its length says 10 bytes, past the end of memory
    public void BuiltInAbort_FromAStartFunctionWithBrokenStrings_StillReportsTheAbort(int message, int file, string expected)
    {
        string module = HostModules.Module(
            HostModules.CMalloc,
            Strings + $$"""(data (i32.const 65530) "\0a\00\00\00") (func $start (call $abort (i32.const {{message}}) (i32.const {{file}}) (i32.const 1) (i32.const 2))) (start $start)""",
            imports: AbortImport);

        var ex = Assert.Throws<WasmTrapException>(() => WasmHost.FromText(module));

        Assert.Contains($"AssemblyScript abort: {expected}:1:2.", ex.Message);
    }

    /// <summary>
    /// Issue 27, class 3: AssemblyScript strings are WTF-16, so a message may hold lone surrogates (<c>"\uD800"</c> in
    /// the source); decoding them as UTF-16 replaced each with U+FFFD, where 0.2.0 kept the code units.
    /// </summary>
    [Fact]
    public void BuiltInAbort_MessageWithLoneSurrogates_KeepsEveryCodeUnitAsItIs()
    {
        // "a", a lone high surrogate, "b", a lone low surrogate, then a valid pair (U+1F600): 12 bytes.
        string module = HostModules.Module(
            HostModules.CMalloc,
            Strings + """
                (data (i32.const 588) "\0c\00\00\00a\00\00\d8b\00\00\dc\3d\d8\00\de")
                (func (export "fail") (call $abort (i32.const 592) (i32.const 544) (i32.const 3) (i32.const 4)))
                """,
            imports: AbortImport);

        using WasmHost host = Track(WasmHost.FromText(module));
        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction("fail")());

        string expected = "AssemblyScript abort: \"a\uD800b\uDC00\uD83D\uDE00\" at a.ts:3:4.";
        Assert.Equal(expected, Assert.IsType<WasmSharedMemoryException>(ex.InnerException).Message);
        Assert.DoesNotContain('\uFFFD', ex.Message);
    }

    [Fact]
    public void Trace_DefinedByTheUser_ReplacesTheBuiltInAndReceivesAllSevenParameters()
    {
        const string imports = """(import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))""";
        string exports = Strings + """
            (func (export "go")
              (call $trace (i32.const 512) (i32.const 5) (f64.const 1.5) (f64.const -2.5) (f64.const 3) (f64.const 4.25) (f64.const 1e300)))
            """;
        var seen = new List<string>();
        var options = new WasmHostOptions();
        options.Imports.Define("env", "trace", (GuestMemory memory, int message, int n, double a0, double a1, double a2, double a3, double a4) =>
            seen.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2} {3} {4} {5} {6}", memory.ReadUtf16((uint)message, 5), n, a0, a1, a2, a3, a4)));

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: imports), options: options));
        host.GetAction("go")();

        Assert.Equal(new[] { "boom! 5: 1.5 -2.5 3 4.25 1E+300" }, seen);
    }

    [Fact]
    public void Trace_DefinedByTheUserWithoutMemory_ReplacesTheBuiltIn()
    {
        const string imports = """(import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))""";
        const string exports = """(func (export "go") (call $trace (i32.const 1) (i32.const 2) (f64.const 3) (f64.const 4) (f64.const 5) (f64.const 6) (f64.const 7)))""";
        double sum = 0;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "trace", (int message, int n, double a0, double a1, double a2, double a3, double a4) => sum = message + n + a0 + a1 + a2 + a3 + a4);

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: imports), options: options));
        host.GetAction("go")();

        Assert.Equal(28, sum);
    }

    [Fact]
    public void Trace_DefinedByTheUserWithAnotherSignature_IsRefusedNamingBoth()
    {
        const string imports = """(import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))""";
        var options = new WasmHostOptions();
        options.Imports.Define("env", "trace", (int message, int n, double a0, double a1, double a2, double a3, float a4) => { });

        var ex = Assert.Throws<WasmContractException>(() => WasmHost.FromText(HostModules.Module(HostModules.CMalloc, imports: imports), options: options));

        Assert.Contains("env.trace", ex.Message);
        Assert.Contains("(i32, i32, f64, f64, f64, f64, f64) -> ()", ex.Message);
        Assert.Contains("f32", ex.Message);
    }
}
