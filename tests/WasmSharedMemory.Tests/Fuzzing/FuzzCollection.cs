namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>
/// The stb fuzz, the corpus fuzz and the soak, run one at a time after the parallel tests: each checks that no call
/// ends more than an allowance past its <c>CallTimeout</c>. Side by side on 2 cores their 12 threads delayed stb calls
/// past it (571 and 609 ms against 500 ms in a whole-suite run, 2026-12-08), and so did the corpus tests' 48 MiB
/// compressions running beside them, which no single one of them does alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz and soak";
}
