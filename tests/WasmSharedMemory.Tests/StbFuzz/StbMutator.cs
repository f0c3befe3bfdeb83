using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using WasmSharedMemory.Tests.Fuzzing;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Makes input <c>index</c> of a run from its seed alone (<c>seed + index</c> seeds a <see cref="Random"/>), so
/// any input can be made again from the two numbers a failure prints: a seed image with one to four mutations.
/// </summary>
internal static class StbMutator
{
    /// <summary>Input <paramref name="index"/> of the run started from <paramref name="seed"/>, and the name of the image it came from.</summary>
    public static (byte[] Input, string Origin) Make(int seed, long index)
    {
        var random = new Random(unchecked(seed + (int)index * 7919));
        IReadOnlyList<SeedImage> seeds = StbSeeds.All;
        SeedImage image = seeds[random.Next(seeds.Count)];
        var bytes = new List<byte>(image.Bytes);
        ByteMutations.Apply(bytes, random, r => seeds[r.Next(seeds.Count)].Bytes, (b, r) => HugeDimension(b, image, r));
        return (bytes.ToArray(), image.Name);
    }

    private static void HugeDimension(List<byte> bytes, SeedImage image, Random random)
    {
        DimensionField field = image.DimensionFields[random.Next(image.DimensionFields.Count)];
        if (field.Offset + field.Size > bytes.Count)
        {
            return;
        }

        uint value = random.Next(4) == 0 ? (uint)random.Next() : ByteMutations.InterestingWords[random.Next(ByteMutations.InterestingWords.Length)];
        var word = new byte[4];
        if (field.BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, value << (8 * (4 - field.Size)));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, value);
        }

        for (int i = 0; i < field.Size; i++)
        {
            bytes[field.Offset + i] = word[i];
        }
    }
}
