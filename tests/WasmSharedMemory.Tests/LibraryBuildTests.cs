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
    /// <summary>Gets the target framework of the library build this run asked for.</summary>
    public static string ExpectedFramework { get; } = typeof(LibraryBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ExpectedLibraryFramework").Value!;

    /// <summary>Gets a value indicating whether this run expects the native call path: every build takes it unless CI forces the public one.</summary>
    public static bool ExpectsNativeCalls => System.Environment.GetEnvironmentVariable(Internals.Native.NativeBoundary.DisableVariable) is not ("1" or "true");

    [Fact]
    public void LoadedLibrary_IsTheBuildThisRunAskedFor()
    {
        string expected = ExpectedFramework;

        string? loaded = typeof(SharedMemoryModule).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.Equal(expected, loaded);
    }
}
