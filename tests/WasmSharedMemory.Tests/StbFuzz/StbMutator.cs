using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Makes input <c>index</c> of a run from its seed alone (<c>seed + index</c> seeds a <see cref="Random"/>), so
/// any input can be made again from the two numbers a failure prints: a seed image with one to four mutations.
/// </summary>
internal static class StbMutator
{
    // Sizes a decoder must refuse or survive: 0, 1, the edges of 15, 16, 24 and 31 bits, all ones.
    private static readonly uint[] s_hugeDimensions =
        { 0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000, 0x1000001, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 3000, 20000 };

    private static readonly byte[] s_interestingBytes = { 0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0x40 };

    /// <summary>Input <paramref name="index"/> of the run started from <paramref name="seed"/>, and the name of the image it came from.</summary>
    public static (byte[] Input, string Origin) Make(int seed, long index)
    {
        var random = new Random(unchecked(seed + (int)index * 7919));
        IReadOnlyList<SeedImage> seeds = StbSeeds.All;
        SeedImage image = seeds[random.Next(seeds.Count)];
        var bytes = new List<byte>(image.Bytes);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                    FlipBits(bytes, random);
                    break;
                case 3:
                    SetBytes(bytes, random);
                    break;
                case 4:
                    Truncate(bytes, random);
                    break;
                case 5:
                    Splice(bytes, seeds[random.Next(seeds.Count)].Bytes, random);
                    break;
                case 6 or 7:
                    HugeDimension(bytes, image, random);
                    break;
                case 8:
                    Duplicate(bytes, random);
                    break;
                default:
                    RemoveRun(bytes, random);
                    break;
            }

            if (bytes.Count == 0)
            {
                break;
            }
        }

        return (bytes.ToArray(), image.Name);
    }

    private static void FlipBits(List<byte> bytes, Random random)
    {
        for (int i = random.Next(1, 9); i > 0 && bytes.Count > 0; i--)
        {
            int at = random.Next(bytes.Count);
            bytes[at] ^= (byte)(1 << random.Next(8));
        }
    }

    private static void SetBytes(List<byte> bytes, Random random)
    {
        for (int i = random.Next(1, 5); i > 0 && bytes.Count > 0; i--)
        {
            bytes[random.Next(bytes.Count)] = random.Next(2) == 0 ? s_interestingBytes[random.Next(s_interestingBytes.Length)] : (byte)random.Next(256);
        }
    }

    private static void Truncate(List<byte> bytes, Random random)
    {
        int cut = random.Next(bytes.Count);
        bytes.RemoveRange(cut, bytes.Count - cut);
    }

    private static void RemoveRun(List<byte> bytes, Random random)
    {
        int start = random.Next(bytes.Count);
        bytes.RemoveRange(start, Math.Min(random.Next(1, 64), bytes.Count - start));
    }

    /// <summary>Keeps a prefix of this input and appends a suffix of another seed (often of another format).</summary>
    private static void Splice(List<byte> bytes, byte[] other, Random random)
    {
        int keep = random.Next(bytes.Count + 1);
        int from = random.Next(other.Length);
        bytes.RemoveRange(keep, bytes.Count - keep);
        bytes.AddRange(other.AsSpan(from).ToArray());
    }

    private static void HugeDimension(List<byte> bytes, SeedImage image, Random random)
    {
        DimensionField field = image.DimensionFields[random.Next(image.DimensionFields.Count)];
        if (field.Offset + field.Size > bytes.Count)
        {
            return;
        }

        uint value = random.Next(4) == 0 ? (uint)random.Next() : s_hugeDimensions[random.Next(s_hugeDimensions.Length)];
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

    private static void Duplicate(List<byte> bytes, Random random)
    {
        if (bytes.Count == 0)
        {
            return;
        }

        int start = random.Next(bytes.Count);
        int length = Math.Min(random.Next(1, 256), bytes.Count - start);
        bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
    }
}
