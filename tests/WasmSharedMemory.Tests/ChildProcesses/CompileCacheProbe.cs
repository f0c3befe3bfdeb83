using System;
using System.Globalization;
using Wasmtime;
using WasmSharedMemory.Internals.Caching;
using WasmSharedMemory.Internals.Engines;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// One of several processes filling one compile cache at once: each round loads the module through the cache
/// (a hit or a compile), runs it, and writes its own entry over whatever is there, so renames race reads.
/// Prints how many loads hit and how many ran wrong (must be 0).
/// </summary>
internal static class CompileCacheProbe
{
    /// <summary>Arguments: the cache directory, then the number of rounds.</summary>
    public static int Run(string[] args)
    {
        var cache = new CompileCache(args[0]);
        int rounds = int.Parse(args[1], CultureInfo.InvariantCulture);
        var profile = new EngineProfile(epochs: false, fuel: false);
        byte[] source = CompileCacheTests.AnswerModule(42);
        int hits = 0, wrong = 0;
        for (int i = 0; i < rounds; i++)
        {
            using Module module = cache.GetOrCompile(profile.Engine, profile.Key, "probe", source, out CacheResult result);
            hits += result == CacheResult.Hit ? 1 : 0;
            wrong += CompileCacheTests.Answer(profile.Engine, module) == 42 ? 0 : 1;
            cache.Store(profile.Key, source, module);
        }

        Console.WriteLine($"hits: {hits}");
        Console.WriteLine($"wrong: {wrong}");
        return 0;
    }
}
