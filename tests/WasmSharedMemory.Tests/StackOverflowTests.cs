using System;
using WasmSharedMemory.Tests.ChildProcesses;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Deep recursion in guest code must trap, whatever thread runs it: Wasmtime's wasm stack limit is set below
/// what a 256 KiB thread has, with room for the .NET frames below the call and for a WASI or .NET host function
/// called from the deepest frame. Each case runs in a child process, because the regression is a process-ending
/// "Stack overflow".
/// </summary>
public sealed class StackOverflowTests : LeakCheckedTests
{
    private readonly ITestOutputHelper _output;

    public StackOverflowTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    public void DeepRecursion_OnA256KiBThread_ThrowsTrapAndFaultsInsteadOfEndingTheProcess(int dotnetFramesKiB)
    {
        ChildResult child = ChildProcess.Run("stack", TimeSpan.FromSeconds(60), dotnetFramesKiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _output.WriteLine(child.Output);

        child.AssertSucceeded();
        foreach (string export in new[] { "recurse", "recurse_wasi", "recurse_host" })
        {
            Assert.StartsWith("WasmTrapException StackOverflow faulted=True", child.Value($"{export} on a 256 KiB thread after {dotnetFramesKiB} KiB"));
        }

        Assert.StartsWith("WasmTrapException StackOverflow faulted=True", child.Value("recurse on the main thread"));
    }

    [Fact]
    public void MaxWasmStackSetting_RaisesTheLimitForAThreadWithTheStackForIt()
    {
        ChildResult child = ChildProcess.Run("stack", TimeSpan.FromSeconds(60), "0", "1048576", "2048").AssertSucceeded();
        _output.WriteLine(child.Output);

        Assert.Equal("1048576", child.Value("max wasm stack"));
        string outcome = child.Value("recurse on a 2048 KiB thread after 0 KiB");
        Assert.StartsWith("WasmTrapException StackOverflow", outcome);
        // Eight times the default limit holds about eight times as many frames.
        long depth = ParseDepth(outcome);
        long defaultDepth = ParseDepth(ChildProcess.Run("stack", TimeSpan.FromSeconds(60)).AssertSucceeded().Value("recurse on a 256 KiB thread after 0 KiB"));
        Assert.InRange(depth, defaultDepth * 7, defaultDepth * 9);
    }

    [Fact]
    public void MaxWasmStackSetting_NotANumber_FailsTheLoadWithAMessageNamingIt()
    {
        ChildResult child = ChildProcess.Run("stack", TimeSpan.FromSeconds(60), "0", "lots").AssertSucceeded();

        Assert.Contains("'WasmSharedMemory.MaxWasmStackBytes' is 'lots'", child.Value("setting refused"));
        Assert.Equal(nameof(WasmSharedMemoryException), child.Value("load"));
    }

    /// <summary>Wasmtime ends the process (exit 134) over a <c>max_wasm_stack</c> above its 2 MiB async stack size: refused before it sees one.</summary>
    [Theory]
    [InlineData("2097153")]
    [InlineData("4194304")]
    [InlineData("2147483647")]
    public void MaxWasmStackSetting_AboveWhatWasmtimeAllows_FailsTheLoadInsteadOfEndingTheProcess(string bytes)
    {
        ChildResult child = ChildProcess.Run("stack", TimeSpan.FromSeconds(60), "0", bytes).AssertSucceeded();

        Assert.Contains($"'WasmSharedMemory.MaxWasmStackBytes' is '{bytes}'", child.Value("setting refused"));
        Assert.Contains("up to 2097152", child.Value("setting refused"));
        Assert.Equal(nameof(WasmSharedMemoryException), child.Value("load"));
        Assert.Equal(nameof(WasmSharedMemoryException), child.Value("kernel load"));
        // The refusal was not cached: a fixed setting loads.
        Assert.Equal("succeeded", child.Value("load after the fix"));
        Assert.Equal("succeeded", child.Value("kernel load after the fix"));
    }

    [Fact]
    public void MaxWasmStackSetting_AtWhatWasmtimeAllows_Loads()
    {
        ChildResult child = ChildProcess.Run("stack", TimeSpan.FromSeconds(60), "0", "2097152", "8192").AssertSucceeded();

        Assert.Equal("2097152", child.Value("max wasm stack"));
        Assert.StartsWith("WasmTrapException StackOverflow", child.Value("recurse on a 8192 KiB thread after 0 KiB"));
    }

    private static long ParseDepth(string outcome) =>
        long.Parse(outcome.Substring(outcome.IndexOf("depth=", StringComparison.Ordinal) + 6), System.Globalization.CultureInfo.InvariantCulture);
}
