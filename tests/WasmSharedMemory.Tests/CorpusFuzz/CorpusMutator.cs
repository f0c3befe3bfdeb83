using System;
using System.Collections.Generic;
using WasmSharedMemory.Tests.Fuzzing;

namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>
/// Makes input <c>index</c> of a run on one module from its seed alone, as the stb fuzzer does: one of the module's
/// seeds, unmutated one time in sixteen (so its known output is checked), otherwise with one to four mutations.
/// </summary>
internal static class CorpusMutator
{
    /// <summary>Input <paramref name="index"/> of the run started from <paramref name="seed"/>, and the name of the seed it came from.</summary>
    public static (byte[] Input, string Origin) Make(IReadOnlyList<CorpusSeed> seeds, int seed, long index)
    {
        var random = new Random(unchecked(seed + (int)index * 7919));
        CorpusSeed start = seeds[random.Next(seeds.Count)];
        if (random.Next(16) == 0)
        {
            return (start.Bytes, start.Name);
        }

        var bytes = new List<byte>(start.Bytes);
        ByteMutations.Apply(bytes, random, r => seeds[r.Next(seeds.Count)].Bytes, ByteMutations.SetWord);

        return (bytes.ToArray(), start.Name);
    }
}
