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

    [LinuxFact("the child process caps its own address space with setrlimit")]
    public void Load_WhenTheAddressSpaceIsFull_ThrowsOutOfMemoryAndTheProcessCarriesOn()
    {
        bool full = Environment.GetEnvironmentVariable("WSM_ADDRESS_SPACE") == "full";
        ChildResult child = ChildProcess.Run("address-space", TimeSpan.FromMinutes(10), full ? "full" : "limited").AssertSucceeded();
        _output.WriteLine(child.Output);
        Assert.Equal(nameof(WasmOutOfMemoryException), child.Value("exception"));
        Assert.Contains("address space", child.Value("message"));
        Assert.True(long.Parse(child.Value("requested bytes"), CultureInfo.InvariantCulture) >= 1L << 32);
        int live = int.Parse(child.Value("live modules when a load failed"), CultureInfo.InvariantCulture);
        Assert.True(live >= (full ? 10_000 : 1), $"only {live} modules loaded before the failure");
        if (!full)
        {
            // Each module reserves a little over 4 GiB: the load failed when the room the probe's cap left ran out,
            // not before (something else failing) and not after (the cap not holding).
            ulong headroom = ulong.Parse(child.Value("address-space headroom"), CultureInfo.InvariantCulture);
            Assert.InRange((ulong)live, (headroom >> 32) - 1, headroom >> 32);
        }

        Assert.Equal("True", child.Value("last live module still multiplies"));
        Assert.Equal("succeeded", child.Value("load after disposing them"));
        if (!full)
        {
            Assert.StartsWith(nameof(WasmOutOfMemoryException), child.Value("huge table"));
        }
    }
}
