using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Every way a module can fail to load surfaces as the documented family: a <see cref="WasmSharedMemoryException"/>
/// (contract, trap, out of memory) with a message that says what failed, never one of Wasmtime's exceptions or an
/// <see cref="InvalidOperationException"/>. Each case is one row of <see cref="Cases"/>.
/// </summary>
public sealed class LoadFailureTests : LeakCheckedTests
{
    private static readonly string s_missingDirectory = Path.Combine(Path.GetTempPath(), "wsm-no-such-directory-" + Guid.NewGuid().ToString("N"));

    /// <summary>The module, the options, the exception type it must throw and a fragment its message must hold.</summary>
    private static readonly Dictionary<string, (string Wat, Func<WasmHostOptions?> Options, Type Expected, string Message)> s_cases = new()
    {
        ["start function traps"] = (
            HostModules.Module(HostModules.CMalloc, """(func $start unreachable) (start $start)"""),
            () => null, typeof(WasmTrapException), "start function"),
        ["start function runs out of fuel"] = (
            HostModules.Module(HostModules.CMalloc, """(func $start (loop $forever (br $forever))) (start $start)"""),
            () => new WasmHostOptions { FuelPerCall = 10_000 }, typeof(WasmTrapException), "fuel"),
        ["ABI check traps"] = (
            HostModules.Module($$"""
                (func (export "wsm_abi_version") (result i32) unreachable)
                (func (export "wsm_alloc") (param $size i32) (param $align i32) (result i32) {{HostModules.Bump}})
                (func (export "wsm_free") (param i32 i32 i32))
                """),
            () => null, typeof(WasmTrapException), "'wsm_abi_version'"),
        ["data segment outside memory"] = (
            HostModules.Module(HostModules.CMalloc, """(data (i32.const 65535) "ab")"""),
            () => null, typeof(WasmTrapException), "out of bounds"),
        ["unknown WASI import"] = (
            HostModules.Module(HostModules.CMalloc, imports: """(import "wasi_snapshot_preview1" "no_such_function" (func))"""),
            () => null, typeof(WasmContractException), "no_such_function"),
        ["mistyped WASI import"] = (
            HostModules.Module(HostModules.CMalloc, imports: """(import "wasi_snapshot_preview1" "fd_write" (func (param i32)))"""),
            () => null, typeof(WasmContractException), "fd_write"),
        ["memory imported from the WASI namespace"] = (
            """
            (module
              (import "wasi_snapshot_preview1" "memory" (memory 1))
              (func (export "malloc") (param i32) (result i32) (i32.const 1024))
              (func (export "free") (param i32)))
            """,
            () => null, typeof(WasmContractException), "wasi_snapshot_preview1::memory"),
        ["shared memory"] = (
            HostModules.Module(HostModules.CMalloc, memory: """(memory (export "memory") 1 2 shared)"""),
            () => null, typeof(WasmContractException), "shared memory"),
        ["second memory larger than MaxMemoryBytes"] = (
            HostModules.Module(HostModules.CMalloc, """(memory $big 100)"""),
            () => new WasmHostOptions { MaxMemoryBytes = 1 << 20 }, typeof(WasmOutOfMemoryException), "limits"),
        ["missing preopened directory"] = (
            HostModules.Module(HostModules.CMalloc, imports: """(import "wasi_snapshot_preview1" "fd_close" (func (param i32) (result i32)))"""),
            () => new WasmHostOptions { PreopenedDirectories = { ["/data"] = s_missingDirectory } }, typeof(WasmSharedMemoryException), s_missingDirectory),
    };

    public static TheoryData<string> Cases => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_BrokenModule_ThrowsTheDocumentedExceptionNamingTheProblem(string name)
    {
        var (wat, options, expected, message) = s_cases[name];

        Exception ex = Record.Exception(() => Track(WasmHost.FromText(wat, options: options())));

        Assert.NotNull(ex);
        Assert.IsType(expected, ex);
        Assert.Contains(message, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(ex is WasmtimeException);
    }

    [Fact]
    public void Load_StartFunctionCallsAHostFunctionThatThrows_ThrowsTrapWithTheHostFunctionsException()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "fail", () => throw new InvalidOperationException("the host function failed"));
        string wat = HostModules.Module(
            HostModules.CMalloc,
            """(func $start (call $fail)) (start $start)""",
            imports: """(import "env" "fail" (func $fail))""");

        var ex = Assert.Throws<WasmTrapException>(() => Track(WasmHost.FromText(wat, options: options)));

        Assert.Equal("(start)", ex.ExportName);
        Assert.Contains("the host function failed", ex.ToString());
    }

    [Fact]
    public void Load_StartFunctionTraps_KeepsWasmtimesTrapInsideAndNamesTheStart()
    {
        var ex = Assert.Throws<WasmTrapException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, """(func $start unreachable) (start $start)"""))));

        Assert.Equal("(start)", ex.ExportName);
        Assert.Equal(TrapCode.Unreachable, Assert.IsType<TrapException>(ex.InnerException).Type);
        Assert.Contains("not loaded", ex.Message);
    }

    [Fact]
    public void Load_SecondMemoryLargerThanTheLimit_ReportsTheBytesItAskedFor()
    {
        var ex = Assert.Throws<WasmOutOfMemoryException>(() => Track(WasmHost.FromText(
            HostModules.Module(HostModules.CMalloc, """(memory $big 100)"""),
            options: new WasmHostOptions { MaxMemoryBytes = 1 << 20 })));

        Assert.Equal(100L * 65536, ex.RequestedBytes);
        Assert.IsAssignableFrom<WasmtimeException>(ex.InnerException);
    }

    [Fact]
    public void Load_KernelModuleWithATrappingAbiCheck_ThrowsTrap()
    {
        // The kernel module's own load path (no epoch interruption) maps the same way.
        string wat = TestModules.Text().Replace(
            $"(func (export \"wsm_abi_version\") (result i32) (i32.const {Internals.Kernels.KernelAbi.Version}))",
            "(func (export \"wsm_abi_version\") (result i32) unreachable)",
            StringComparison.Ordinal);
        Assert.Contains("unreachable", wat);

        var ex = Assert.Throws<WasmTrapException>(() => Track(TestModules.LoadText(wat)));

        Assert.Equal("wsm_abi_version", ex.ExportName);
    }

    [Fact]
    public void Load_AfterEveryKindOfFailure_LeavesNoModuleAndTheHostLoadsTheNextOne()
    {
        foreach (var (wat, options, _, _) in s_cases.Values)
        {
            Assert.ThrowsAny<Exception>(() => Track(WasmHost.FromText(wat, options: options())));
        }

        Assert.Equal(0, TrackedModules);
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Sum)));
        using WasmBuffer<float> values = host.Allocate<float>(2);
        values.CopyFrom(new[] { 1f, 2f });
        Assert.Equal(3f, host.GetFunction<int, int, float>("sum")((int)values.Address, 2));
    }
}
