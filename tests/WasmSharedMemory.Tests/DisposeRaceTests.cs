using System;
using System.Globalization;
using WasmSharedMemory.Tests.ChildProcesses;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Disposing a module or host while every other core runs the library's own members on it (the copy helpers,
/// kernels or guarded delegates, <c>GetFunction</c>, allocation, <c>Memory.ReadUtf8</c>) must end each of them
/// with <see cref="ObjectDisposedException"/>, never with a touch of unmapped memory. Runs for a fixed time in
/// a child process (<see cref="DisposeRaceProbe"/>), because the regression is a segfault.
/// </summary>
/// <remarks><c>WSM_STRESS_SECONDS</c> sets how long each case runs (default 1 s).</remarks>
public sealed class DisposeRaceTests : LeakCheckedTests
{
    private readonly ITestOutputHelper _output;

    public DisposeRaceTests(ITestOutputHelper output) => _output = output;

    private static double Seconds =>
        double.TryParse(Environment.GetEnvironmentVariable("WSM_STRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 1;

    [Theory]
    [InlineData("simd")]
    [InlineData("scalar")]
    [InlineData("parallel")]
    [InlineData("host")]
    public void Dispose_WhileOtherThreadsCopyCallAndAllocate_OnlyEverThrowsObjectDisposed(string target)
    {
        ChildResult child = ChildProcess.Run("dispose-race", TimeSpan.FromSeconds(Seconds + 120), target, Seconds.ToString(CultureInfo.InvariantCulture));
        _output.WriteLine(child.Output);

        child.AssertSucceeded();
        Assert.Equal("0", child.Value("unexpected exceptions"));
        Assert.True(long.Parse(child.Value("rounds"), CultureInfo.InvariantCulture) > 0);
        // Every worker of every round ends on the dispose: proof that the dispose raced them.
        Assert.True(long.Parse(child.Value("refused with ObjectDisposedException"), CultureInfo.InvariantCulture) > 0);
    }
}
