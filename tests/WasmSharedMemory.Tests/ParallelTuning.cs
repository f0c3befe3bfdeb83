using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>Test settings for parallel modules.</summary>
internal static class ParallelTuning
{
    /// <summary>
    /// Lowers a parallel module's thresholds so that every call that can split does, into blocks as small as one
    /// 64-byte grain (a dot product: one chunk), whether or not its workers are awake; a module of one instance is
    /// returned as it is.
    /// </summary>
    public static T SplitEverything<T>(T module)
        where T : ISharedMemoryModule
    {
        if (module is KernelModule { Crew: { } crew })
        {
            crew.Policy.MinSplitBytes = 0;
            crew.Policy.MinWakeBytes = 0;
            crew.Policy.MinBlockBytes = 64;
        }

        return module;
    }
}
