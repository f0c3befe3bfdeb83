using WasmSharedMemory.Internals.Native;
using Kind = WasmSharedMemory.Internals.Native.WasmtimeErrorText.Kind;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Wasmtime's error wording is read only inside the version gate: on the pinned Wasmtime.Dotnet the load failures
/// map by kind (<see cref="LoadFailureTests"/> checks each against the real messages); on any other version nothing is
/// recognised, so a load fails with the base exception rather than a wrong kind.
/// </summary>
public sealed class WasmtimeErrorTextTests : LeakCheckedTests
{
    /// <summary>Messages the pinned Wasmtime words, with the kind's name (the kind itself is internal).</summary>
    public static TheoryData<string, string> Messages => new()
    {
        { "failed to reserve 0x104000000 bytes: Cannot allocate memory (os error 12)", nameof(Kind.OutOfAddressSpace) },
        { "mmap failed to reserve 0x104000000 bytes", nameof(Kind.OutOfAddressSpace) },
        { "memory minimum size of 100 pages exceeds memory limits", nameof(Kind.OverLimits) },
        { "table minimum size of 4000000000 elements: out of memory", nameof(Kind.OutOfMemory) },
        { "unknown import: `wasi_snapshot_preview1::no_such_function` has not been defined", nameof(Kind.Unsatisfiable) },
    };

    [Fact]
    public void IsRead_OnThePinnedVersion_IsOn()
    {
        Assert.Equal(NativeBoundary.IsPinned(NativeBoundary.LoadedVersion), WasmtimeErrorText.IsRead);
        Assert.True(WasmtimeErrorText.IsRead, $"the tests run against the pinned Wasmtime.Dotnet {NativeBoundary.PinnedVersion}");
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Classify_OnThePinnedVersion_TellsTheKind(string message, string expected) =>
        Assert.Equal(expected, WasmtimeErrorText.Classify(message, read: true).ToString());

    [Theory]
    [MemberData(nameof(Messages))]
    public void Classify_OnAnotherVersion_RecognisesNothing(string message, string _) =>
        Assert.Equal(Kind.Unknown, WasmtimeErrorText.Classify(message, read: false));

    [Theory]
    [InlineData("mmap failed to reserve 0x104000000 bytes", 0x104000000L)]
    [InlineData("memory minimum size of 100 pages exceeds memory limits", 100L * 65536)]
    [InlineData("out of memory", 0L)]
    public void RequestedBytes_ReadsBytesOrPages(string message, long expected) =>
        Assert.Equal(expected, WasmtimeErrorText.RequestedBytes(message));
}
