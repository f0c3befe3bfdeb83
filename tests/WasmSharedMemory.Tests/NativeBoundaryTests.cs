using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Tests;

public sealed class NativeBoundaryTests : LeakCheckedTests
{
    [Fact]
    public void PinnedVersion_IsTheWasmtimeVersionThisBuildRestored()
    {
        // Directory.Packages.props pins one version and the assembly carries it; the tests run against that package.
        Assert.Equal(NativeBoundary.PinnedVersion, NativeBoundary.LoadedVersion);
    }

    [Theory]
    [InlineData("50.0.0")]
    [InlineData("50.0.2")]
    [InlineData("51.0.1")]
    [InlineData("")]
    public void AnyOtherWasmtimeVersion_TakesThePublicPath(string version)
    {
        Assert.False(NativeBoundary.IsPinned(version));
    }

    [Fact]
    public void NativePath_IsOnExactlyWhenThisRunExpectsIt_AndSaysWhyNot()
    {
        Assert.Equal(LibraryBuildTests.ExpectsNativeCalls, NativeBoundary.IsEnabled);
        Assert.Equal(NativeBoundary.IsEnabled, NativeBoundary.DisabledReason is null);
    }
}
