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
        Assert.Equal("InvalidOperationException", child.Value("load"));
    }

    private static long ParseDepth(string outcome) =>
        long.Parse(outcome.Substring(outcome.IndexOf("depth=", StringComparison.Ordinal) + 6), System.Globalization.CultureInfo.InvariantCulture);
}
