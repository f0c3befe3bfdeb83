using System;
using System.Runtime.InteropServices;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// rabin-wasm as published on npm (AssemblyScript 0.9): content-defined chunk lengths of a 24 MiB input, which the
/// module's memory must grow to hold, equal to what the package's own JavaScript computes in Node.
/// </summary>
public sealed class RabinWasmTests : LeakCheckedTests
{
    private static readonly AllocatorContract s_contract = RabinChunker.Contract;

    [Fact]
    public void Fingerprint_24MiBText_EqualsNodeAndGrowsMemory()
    {
        byte[] input = CorpusInput.Text(24 << 20, 11);
        byte[] expected = NodeReference.Run("rabin-wasm.mjs", new[] { "--bits", $"{RabinChunker.Bits}", "--min", $"{RabinChunker.Min}", "--max", $"{RabinChunker.Max}", "--window", $"{RabinChunker.Window}" }, input);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("rabin-wasm"), s_contract));
        long before = host.Memory.Length;
        int[] lengths = RabinChunker.Chunk(host, input);

        Assert.True(host.Memory.Length > before + input.Length, $"memory grew from {before} to {host.Memory.Length} bytes");
        Assert.Equal(MemoryMarshal.Cast<byte, int>(expected).ToArray(), lengths);
        Assert.InRange(Sum(lengths), input.Length - RabinChunker.Max, input.Length);   // the tail after the last cut is not a chunk
    }

    private static long Sum(int[] values)
    {
        long sum = 0;
        foreach (int value in values)
        {
            sum += value;
        }

        return sum;
    }
}
