using System.Security.Cryptography;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>The benchmarks' Node script and the tests draw the same input: both generators agree byte for byte.</summary>
public sealed class CorpusInputTests : LeakCheckedTests
{
    [Theory]
    [InlineData(200, 3u)]
    [InlineData(1 << 20, 7u)]
    public void Text_SameLengthAndSeed_EqualsNodesInputScript(int length, uint seed)
    {
        byte[] node = NodeReference.Run("input.mjs", new[] { length.ToString(), seed.ToString() });

        Assert.Equal(SHA256.HashData(node), SHA256.HashData(CorpusInput.Text(length, seed)));
    }
}
