using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests;

/// <summary>Reactor modules: an exported <c>_initialize</c> runs once at load, through the guarded call path, before anything else.</summary>
public sealed class ReactorTests : LeakCheckedTests
{
    /// <summary>A C-style allocator that traps until <c>_initialize</c> has run, so an allocation before it would show.</summary>
    private const string Allocator = $$"""
        (global $runs (export "runs") (mut i32) (i32.const 0))
        (func (export "malloc") (param $size i32) (result i32) (local $p i32)
          (if (i32.eqz (global.get $runs)) (then unreachable))
          (local.set $p (global.get $next))
          (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
          (local.get $p))
        (func (export "free") (param i32) {{HostModules.CountFree}})
        """;

    private const string CountingInitialize = """(func (export "_initialize") (global.set $runs (i32.add (global.get $runs) (i32.const 1))))""";

    [Fact]
    public void Load_ModuleExportingInitialize_RunsItOnceBeforeTheFirstAllocation()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(Allocator, CountingInitialize + HostModules.Sum)));
        using WasmBuffer<float> values = host.Allocate<float>(2);
        values.CopyFrom(new[] { 1f, 2f });
        host.GetFunction<int, int, float>("sum")((int)values.Address, 2);

        Assert.Equal(1, Runs(host));
    }

    [Fact]
    public void Load_InitializeTraps_FailsTheLoadWithAWasmSharedMemoryExceptionNamingIt()
    {
        var ex = Assert.Throws<WasmSharedMemoryException>(() =>
            Track(WasmHost.FromText(HostModules.Module(Allocator, """(func (export "_initialize") unreachable)"""))));

        Assert.Contains("_initialize", ex.Message);
        Assert.Contains("was not loaded", ex.Message);
        Assert.Equal("_initialize", Assert.IsType<WasmTrapException>(ex.InnerException).ExportName);
    }

    [Fact]
    public void Load_InitializeRunsPastTheCallTimeout_FailsTheLoad()
    {
        var options = new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(100) };

        var ex = Assert.Throws<WasmSharedMemoryException>(() =>
            Track(WasmHost.FromText(HostModules.Module(Allocator, """(func (export "_initialize") (loop $forever (br $forever)))"""), options: options)));

        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public void Load_InitializeRunsOutOfFuel_FailsTheLoad()
    {
        var options = new WasmHostOptions { FuelPerCall = 10_000 };

        var ex = Assert.Throws<WasmSharedMemoryException>(() =>
            Track(WasmHost.FromText(HostModules.Module(Allocator, """(func (export "_initialize") (loop $forever (br $forever)))"""), options: options)));

        Assert.Equal("_initialize", Assert.IsType<WasmTrapException>(ex.InnerException).ExportName);
    }

    [Fact]
    public void Load_InitializeWithParameters_ThrowsContractWithTheExpectedSignature()
    {
        var ex = Assert.Throws<WasmContractException>(() =>
            Track(WasmHost.FromText(HostModules.Module(Allocator, """(func (export "_initialize") (param i32))"""))));

        Assert.Contains("'_initialize' must be a function () -> ()", ex.Message);
        Assert.Contains("(i32) -> ()", ex.Message);
    }

    [Fact]
    public void Initialize_CallingAHostFunction_ReadsTheModulesMemory()
    {
        const string imports = """(import "env" "log" (func $log (param i32 i32)))""";
        const string exports = """
            (data (i32.const 512) "ready")
            (func (export "_initialize")
              (global.set $runs (i32.const 1))
              (call $log (i32.const 512) (i32.const 5)))
            """;
        var logs = new List<string>();
        var options = new WasmHostOptions();
        options.Imports.Define("env", "log", (GuestMemory memory, int ptr, int length) => logs.Add(memory.ReadUtf8((uint)ptr, length)));

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(Allocator, exports, imports: imports), options: options));

        Assert.Equal(new[] { "ready" }, logs);
    }

    [Fact]
    public void Initialize_HostFunctionThrows_FailsTheLoadWithTheHostFunctionsException()
    {
        const string imports = """(import "env" "setup" (func $setup))""";
        var thrown = new InvalidOperationException("no configuration");
        var options = new WasmHostOptions();
        options.Imports.Define("env", "setup", () => throw thrown);

        var ex = Assert.Throws<WasmSharedMemoryException>(() =>
            Track(WasmHost.FromText(HostModules.Module(Allocator, """(func (export "_initialize") (call $setup))""", imports: imports), options: options)));

        Assert.Same(thrown, Assert.IsType<WasmTrapException>(ex.InnerException).InnerException);
        Assert.Contains("no configuration", ex.Message);
    }

    private static int Runs(WasmHost host) => (int)host.Guest.Instance.GetGlobal("runs")!.GetValue()!;
}
