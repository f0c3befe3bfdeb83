using WasmSharedMemory.Tests.ChildProcesses;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Whatever a host function throws comes back as a <see cref="WasmTrapException"/> with that exception inside, even
/// one whose members throw (issue 21, class 2): Wasmtime.Dotnet renders a callback's exception's <c>Message</c>,
/// and fails fast when that throws. In a child process, since a regression ends the process.
/// </summary>
public sealed class HostFunctionExceptionTests : LeakCheckedTests
{
    [Fact]
    public void HostFunction_ThrowingAnExceptionThatCannotBeRendered_ThrowsTrapWithItInsideInsteadOfEndingTheProcess()
    {
        ChildResult child = ChildProcess.Run("hostile-exception", System.TimeSpan.FromSeconds(60)).AssertSucceeded();

        foreach (string kind in new[] { "message-throws", "message-null", "tostring-throws", "everything-throws" })
        {
            Assert.Equal($"{nameof(WasmTrapException)} inner=same faulted=True message=ok", child.Value($"export {kind}"));
            Assert.Equal($"{nameof(WasmTrapException)} inner=same faulted=True message=ok", child.Value($"start {kind}"));
        }
    }
}
