using System;
using System.IO;
using System.Text.Json;
using WasmSharedMemory.Tests.Corpus;

namespace CorpusBench;

/// <summary>A case of benchmarks/corpus/cases.json: the module, and the input every runner times it on.</summary>
internal static class Cases
{
    /// <summary>Returns the input of module <paramref name="id"/>'s case, the bytes bench.mjs times in Node.</summary>
    public static byte[] Input(string id)
    {
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(PublishedModules.RepositoryRoot, "benchmarks", "corpus", "cases.json")));
        foreach (JsonElement c in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("id").GetString() == id)
            {
                return CorpusInput.Text(c.GetProperty("bytes").GetInt32(), c.GetProperty("seed").GetUInt32());
            }
        }

        throw new ArgumentException($"benchmarks/corpus/cases.json has no case '{id}'.", nameof(id));
    }
}
