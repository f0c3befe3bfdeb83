using System.Linq;
using System.Reflection;

namespace WasmSharedMemory.Tests;

/// <summary>Keeps the leak check from passing silently: a test class that does not derive from <see cref="LeakCheckedTests"/> fails here.</summary>
public sealed class LeakCheckCoverageTests : LeakCheckedTests
{
    [Fact]
    public void EveryTestClass_DerivesFromLeakCheckedTests()
    {
        string[] skipping = typeof(LeakCheckedTests).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract)
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .Where(t => !typeof(LeakCheckedTests).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .ToArray();

        Assert.True(skipping.Length == 0, $"These test classes skip the leak check; derive them from LeakCheckedTests and create modules through Track/Load: {string.Join(", ", skipping)}");
    }

    [Fact]
    public void LeakCheck_ModuleLeftWithALiveBuffer_FailsTheTest()
    {
        var probe = new Probe();
        ISharedMemoryModule module = probe.LoadForTest();
        module.Allocate<int>(4); // never disposed
        module.Dispose();
        Assert.Equal(0, module.LiveBuffers); // dead with its module, but never disposed: still a leak

        var ex = Assert.ThrowsAny<Xunit.Sdk.XunitException>(probe.Dispose);

        Assert.Contains("1 buffers never disposed (16 bytes)", ex.Message);
    }

    [Fact]
    public void LeakCheck_ModuleNeverDisposed_FailsTheTest()
    {
        var probe = new Probe();
        probe.LoadForTest();

        var ex = Assert.ThrowsAny<Xunit.Sdk.XunitException>(probe.Dispose);

        Assert.Contains("was never disposed", ex.Message);
    }

    /// <summary>A leak-checked "test" whose check the test above runs by hand.</summary>
    private sealed class Probe : LeakCheckedTests
    {
        public ISharedMemoryModule LoadForTest() => Load();
    }
}
