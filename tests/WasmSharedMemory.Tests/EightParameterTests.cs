using System;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Exports and imports of eight parameters, the most the value layer binds: each value lands in its place, and every
/// wrong declaration is refused naming both signatures, at bind or load time, before any guest code runs.
/// </summary>
public sealed class EightParameterTests : LeakCheckedTests
{
    /// <summary><c>mix8</c> weighs its parameters p1..p8 by 10^(k-1), so a value in the wrong place changes the sum; <c>via_import</c> does the same through <c>env.mix8</c>.</summary>
    private const string Exports = """
        (func $weigh (param i32 i64 f32 f64 i32 i64 f32 f64) (result f64)
          (f64.add (f64.add (f64.add (f64.convert_i32_s (local.get 0))
                                     (f64.mul (f64.convert_i64_s (local.get 1)) (f64.const 10)))
                            (f64.add (f64.mul (f64.promote_f32 (local.get 2)) (f64.const 100))
                                     (f64.mul (local.get 3) (f64.const 1000))))
                   (f64.add (f64.add (f64.mul (f64.convert_i32_s (local.get 4)) (f64.const 1e4))
                                     (f64.mul (f64.convert_i64_s (local.get 5)) (f64.const 1e5)))
                            (f64.add (f64.mul (f64.promote_f32 (local.get 6)) (f64.const 1e6))
                                     (f64.mul (local.get 7) (f64.const 1e7))))))
        (func (export "mix8") (param i32 i64 f32 f64 i32 i64 f32 f64) (result f64)
          (call $weigh (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7)))
        """;

    private const string Imports = """(import "env" "mix8" (func $imix8 (param i32 i64 f32 f64 i32 i64 f32 f64) (result f64)))""";

    private const string ViaImport = """
        (func (export "via_import") (result f64)
          (call $imix8 (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6) (f32.const 7) (f64.const 8)))
        """;

    [Fact]
    public void Export_EightParameters_EachValueLandsInItsPlace()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, Exports)));

        Assert.Equal(87654321.0, host.GetFunction<int, long, float, double, int, long, float, double, double>("mix8")(1, 2, 3, 4, 5, 6, 7, 8));
    }

    [Fact]
    public void Export_EightParametersTheLastOfAnotherType_ThrowsContractNamingBothSignatures()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, Exports)));

        var ex = Assert.Throws<WasmContractException>(() => host.GetFunction<int, long, float, double, int, long, float, float, double>("mix8"));

        Assert.Contains("'mix8'", ex.Message);
        Assert.Contains("f32 f32", Normalize(ex.Message));
        Assert.Contains("(i32 i64 f32 f64 i32 i64 f32 f64) -> f64", Normalize(ex.Message));
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Export_BoundWithSevenParametersOrAnotherResult_ThrowsContract()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, Exports)));

        Assert.Throws<WasmContractException>(() => host.GetFunction<int, long, float, double, int, long, float, double>("mix8"));
        Assert.Throws<WasmContractException>(() => host.GetFunction<int, long, float, double, int, long, float, double, float>("mix8"));
        Assert.Throws<WasmContractException>(() => host.GetAction<int, long, float, double, int, long, float, double>("mix8"));
        Assert.Equal(87654321.0, host.GetFunction<int, long, float, double, int, long, float, double, double>("mix8")(1, 2, 3, 4, 5, 6, 7, 8));
    }

    [Fact]
    public void Export_EightBufferParametersFromAnotherHost_IsRefusedNamingTheParameter()
    {
        const string exports = """(func (export "take8") (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (local.get 7))""";
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports)));
        using WasmHost other = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports)));
        using WasmBuffer<int> mine = host.Allocate<int>(1);
        using WasmBuffer<int> theirs = other.Allocate<int>(1);
        var take8 = host.GetFunction<WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>, int>("take8");

        var ex = Assert.Throws<ArgumentException>(() => take8(mine, mine, mine, mine, mine, mine, mine, theirs));

        Assert.Equal("arg8", ex.ParamName);
        Assert.Equal((int)mine.Address, take8(mine, mine, mine, mine, mine, mine, mine, mine));
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Import_EightParametersWithAMemoryFirst_ReceivesEachValueInItsPlace()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "mix8", (GuestMemory memory, int a, long b, float c, double d, int e, long f, float g, double h) =>
            a + (b * 10) + (c * 100) + (d * 1000) + (e * 1e4) + (f * 1e5) + (g * 1e6) + (h * 1e7) + (memory.Length == 65536 ? 0 : 0.5));

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, ViaImport, imports: Imports), options: options));

        Assert.Equal(87654321.0, host.GetFunction<double>("via_import")());
    }

    [Fact]
    public void Import_EightParametersDefinedWithTheLastOfAnotherType_FailsTheLoadNamingBothSignatures()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "mix8", (int a, long b, float c, double d, int e, long f, float g, float h) => 0.0);

        var ex = Assert.Throws<WasmContractException>(() => WasmHost.FromText(HostModules.Module(HostModules.CMalloc, ViaImport, imports: Imports), options: options));

        Assert.Contains("env.mix8", ex.Message);
        Assert.Contains("f32 f32", Normalize(ex.Message));
        Assert.Contains("f32 f64", Normalize(ex.Message));
    }

    [Fact]
    public void Import_DefinedWithSevenParametersOrAnotherResult_FailsTheLoad()
    {
        var seven = new WasmHostOptions();
        seven.Imports.Define("env", "mix8", (int a, long b, float c, double d, int e, long f, float g) => 0.0);
        var result = new WasmHostOptions();
        result.Imports.Define("env", "mix8", (int a, long b, float c, double d, int e, long f, float g, double h) => 0L);

        Assert.Throws<WasmContractException>(() => WasmHost.FromText(HostModules.Module(HostModules.CMalloc, ViaImport, imports: Imports), options: seven));
        Assert.Throws<WasmContractException>(() => WasmHost.FromText(HostModules.Module(HostModules.CMalloc, ViaImport, imports: Imports), options: result));
    }

    [Fact]
    public void Import_NineWasmParameters_IsRefusedWhenDefined()
    {
        var options = new WasmHostOptions();

        Assert.Throws<NotSupportedException>(() => options.Imports.Define("env", "nine", (int a, int b, int c, int d, int e, int f, int g, int h, int i) => { }));
    }

    [Fact]
    public void Import_EightParametersThrowing_TrapsWithTheExceptionInside()
    {
        var thrown = new InvalidOperationException("eight");
        var options = new WasmHostOptions();
        options.Imports.Define<int, long, float, double, int, long, float, double, double>("env", "mix8", (a, b, c, d, e, f, g, h) => throw thrown);

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, ViaImport, imports: Imports), options: options));
        var ex = Assert.Throws<WasmTrapException>(() => host.GetFunction<double>("via_import")());

        Assert.Same(thrown, ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    private static string Normalize(string message) => message.Replace(",", string.Empty, StringComparison.Ordinal);
}
