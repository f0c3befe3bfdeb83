using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The value layer on the import side: host functions of up to 8 wasm parameters of every type exports take, after
/// an optional leading <see cref="GuestMemory"/>; arguments narrowed and results widened as C would, on whichever call
/// path the process runs.
/// </summary>
public sealed class WasmImportsValueTests : LeakCheckedTests
{
    private const string Imports = """
        (import "env" "narrow8" (func $narrow8 (param i32 i32 i32 i32 i32 i32 i32 i64)))
        (import "env" "wide8" (func $wide8 (param i64 f32 f64 i32 i32 i32 i32 i32) (result f64)))
        (import "env" "sbyte" (func $sbyte (result i32)))
        (import "env" "ushort" (func $ushort (result i32)))
        (import "env" "bool" (func $bool (result i32)))
        (import "env" "ulong" (func $ulong (result i64)))
        """;

    // The guest passes values wider than the narrow types hold, so the host's truncation shows.
    private const string Exports = """
        (func (export "narrow8")
          (call $narrow8 (i32.const -1) (i32.const 0x1FF) (i32.const 0x18000) (i32.const -1) (i32.const 0x80000000) (i32.const -1) (i32.const 2) (i64.const 0x8000000000000000)))
        (func (export "wide8") (result f64)
          (call $wide8 (i64.const -1) (f32.const 0.5) (f64.const 0.25) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)))
        (func (export "sbyte") (result i32) (call $sbyte))
        (func (export "ushort") (result i32) (call $ushort))
        (func (export "bool") (result i32) (call $bool))
        (func (export "ulong") (result i64) (call $ulong))
        """;

    private const string TraceImport = """(import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))""";

    [Fact]
    public void Define_GuestMemoryAndEightNarrowParameters_ReceivesTheLowBitsAsACCastWould()
    {
        var seen = new List<object>();
        var options = new WasmHostOptions();
        options.Imports.Define("env", "narrow8", (GuestMemory memory, sbyte a, byte b, short c, ushort d, int e, uint f, bool g, long h) =>
            seen.AddRange(new object[] { memory.Length > 0, a, b, c, d, e, f, g, h }));
        DefineTheRest(options.Imports);

        using WasmHost host = Open(options);
        host.GetAction("narrow8")();

        Assert.Equal(new object[] { true, (sbyte)-1, (byte)0xFF, short.MinValue, ushort.MaxValue, int.MinValue, uint.MaxValue, true, long.MinValue }, seen);
    }

    [Fact]
    public void Define_EightWideParametersWithoutGuestMemory_ReceivesThemAndReturnsAValue()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "narrow8", (sbyte a, byte b, short c, ushort d, int e, uint f, bool g, long h) => { });
        options.Imports.Define("env", "wide8", (ulong a, float b, double c, int d, uint e, short f, byte g, sbyte h) => a + b + c + d + e + f + g + h);
        DefineResults(options.Imports);

        using WasmHost host = Open(options);

        Assert.Equal(ulong.MaxValue + 0.5 + 0.25 + 1 + 2 + 3 + 4 + 5, host.GetFunction<double>("wide8")());
    }

    [Fact]
    public void Define_NarrowResults_ReachTheGuestExtendedAsC()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "narrow8", (sbyte a, byte b, short c, ushort d, int e, uint f, bool g, long h) => { });
        options.Imports.Define("env", "wide8", (ulong a, float b, double c, int d, int e, int f, int g, int h) => 0.0);
        DefineResults(options.Imports);

        using WasmHost host = Open(options);

        Assert.Equal(-5, host.GetFunction<int>("sbyte")());
        Assert.Equal(65535, host.GetFunction<int>("ushort")());
        Assert.Equal(1, host.GetFunction<int>("bool")());
        Assert.Equal(-1L, host.GetFunction<long>("ulong")());
    }

    [Fact]
    public void Define_TypesOfAnotherSignature_ThrowsContractNamingBothSignatures()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "narrow8", (GuestMemory memory, sbyte a, byte b, short c, ushort d, int e, uint f, bool g, ulong h) => { });
        options.Imports.Define("env", "wide8", (ulong a, float b, double c, int d, int e, int f, int g, bool h) => 0f);

        var ex = Assert.Throws<WasmContractException>(() => Open(options));

        Assert.Equal(
            "Import env.wide8 is (i64, f32, f64, i32, i32, i32, i32, i32) -> f64 in the module, but the callback WasmHostOptions.Imports defines for it is (i64, f32, f64, i32, i32, i32, i32, i32) -> f32.",
            ex.Message);
    }

    [Fact]
    public void Define_Trace_ReplacesTheBuiltInAndReadsItsMessageThroughGuestMemory()
    {
        var traces = new List<string>();
        var options = new WasmHostOptions();
        options.Imports.Define("env", "trace", (GuestMemory memory, int message, int n, double a0, double a1, double a2, double a3, double a4) =>
            traces.Add($"{memory.ReadUtf16((uint)message, 2)} {n}: {a0}, {a1}, {a2}, {a3}, {a4}"));
        string text = string.Concat(Encoding.Unicode.GetBytes("hi").Select(b => $"\\{b:x2}"));
        string exports = $$"""
            (data (i32.const 512) "{{text}}")
            (func (export "run") (call $trace (i32.const 512) (i32.const 2) (f64.const 1.5) (f64.const -2) (f64.const 0) (f64.const 0) (f64.const 0)))
            """;

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: TraceImport), options: options));
        host.GetAction("run")();

        Assert.Equal(new[] { "hi 2: 1.5, -2, 0, 0, 0" }, traces);
    }

    private static void DefineTheRest(WasmImports imports)
    {
        imports.Define("env", "wide8", (ulong a, float b, double c, int d, int e, int f, int g, int h) => 0.0);
        DefineResults(imports);
    }

    private static void DefineResults(WasmImports imports)
    {
        imports.Define("env", "sbyte", () => (sbyte)-5);
        imports.Define("env", "ushort", () => ushort.MaxValue);
        imports.Define("env", "bool", () => true);
        imports.Define("env", "ulong", () => ulong.MaxValue);
    }

    private WasmHost Open(WasmHostOptions options) =>
        Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, Exports, imports: Imports), options: options));
}
