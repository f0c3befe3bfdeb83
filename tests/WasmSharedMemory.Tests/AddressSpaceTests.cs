using System;
using System.Globalization;
using WasmSharedMemory.Tests.ChildProcesses;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Each live module reserves 4 GiB of address space; the load that no longer fits must throw
/// <see cref="WasmOutOfMemoryException"/> and leave the process working. Runs in a child process
/// (<see cref="AddressSpaceProbe"/>) that caps its own address space a few modules up, so it takes a second;
/// <c>WSM_ADDRESS_SPACE=full</c> makes it fill the whole address space instead (about 32,000 modules on x64 Linux).
/// </summary>
public sealed class AddressSpaceTests : LeakCheckedTests
{
    private readonly ITestOutputHelper _output;

    public AddressSpaceTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Load_WhenTheAddressSpaceIsFull_ThrowsOutOfMemoryAndTheProcessCarriesOn()
    {
        bool full = Environment.GetEnvironmentVariable("WSM_ADDRESS_SPACE") == "full";
        ChildResult child = ChildProcess.Run("address-space", TimeSpan.FromMinutes(10), full ? "full" : "limited").AssertSucceeded();
        _output.WriteLine(child.Output);
        if (child.Output.StartsWith("skipped", StringComparison.Ordinal))
        {
            return;
        }

        Assert.Equal(nameof(WasmOutOfMemoryException), child.Value("exception"));
        Assert.Contains("address space", child.Value("message"));
        Assert.True(long.Parse(child.Value("requested bytes"), CultureInfo.InvariantCulture) >= 1L << 32);
        Assert.True(int.Parse(child.Value("live modules when a load failed"), CultureInfo.InvariantCulture) >= (full ? 10_000 : 1));
        Assert.Equal("True", child.Value("last live module still multiplies"));
        Assert.Equal("succeeded", child.Value("load after disposing them"));
        if (!full)
        {
            Assert.StartsWith(nameof(WasmOutOfMemoryException), child.Value("huge table"));
        }
    }
}
