namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>
/// The stb fuzz, the corpus fuzz and the soak, run one after another: each checks that no call ends more than an
/// allowance past its <c>CallTimeout</c>, and side by side on 2 cores their 12 threads delayed stb calls past it
/// (571 and 609 ms against 500 ms in a whole-suite run, 2026-12-08), which no single one of them does.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz and soak";
}
