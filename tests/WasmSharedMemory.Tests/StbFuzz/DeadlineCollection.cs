namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Tests that check every call against its deadline (the fuzz and the soak allow 250 ms past <c>CallTimeout</c>) run
/// one at a time, after the parallel ones: on two cores, a corpus test compressing 48 MiB beside them took the cores
/// their calls need and turned a scheduling delay into a failed timing check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeadlineCollection
{
    public const string Name = "Deadlines";
}
