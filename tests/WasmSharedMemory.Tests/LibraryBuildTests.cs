using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The suite runs once per shipped build of the library (see the project file); this proves which build a
/// run loaded, so a mistake cannot quietly test the net10.0 build twice.
/// </summary>
public sealed class LibraryBuildTests : LeakCheckedTests
{
    [Fact]
    public void LoadedLibrary_IsTheBuildThisRunAskedFor()
    {
        string expected = typeof(LibraryBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ExpectedLibraryFramework").Value!;

        string? loaded = typeof(SharedMemoryModule).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.Equal(expected, loaded);
    }
}
