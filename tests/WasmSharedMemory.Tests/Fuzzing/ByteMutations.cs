using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>
/// The format-blind mutations every fuzzer here applies to a seed: bit flips, interesting bytes, cuts, splices with
/// another seed, duplicated and removed runs. Each draws only from the <see cref="Random"/> it is given, so an input
/// is made again from the seed and index a failure prints.
/// </summary>
internal static class ByteMutations
{
    private static readonly byte[] s_interestingBytes = { 0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0x40 };

    /// <summary>Lengths and sizes a decoder must refuse or survive: 0, 1, the edges of 15, 16, 24 and 31 bits, all ones.</summary>
    public static readonly uint[] InterestingWords =
        { 0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000, 0x1000001, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 3000, 20000 };

    /// <summary>
    /// Applies one to four mutations to <paramref name="bytes"/>, each drawn from <paramref name="random"/>: bit flips
    /// (three in ten), interesting bytes, a cut, a splice with the seed <paramref name="spliceSource"/> picks, the
    /// caller's own <paramref name="structural"/> mutation (two in ten: a format's fields, or a word), a duplicated
    /// and a removed run; it stops early once nothing is left.
    /// </summary>
    public static void Apply(List<byte> bytes, Random random, Func<Random, byte[]> spliceSource, Action<List<byte>, Random> structural)
    {
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
                    Splice(bytes, spliceSource(random), random);
                    break;
                case 6 or 7:
                    structural(bytes, random);
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
    }

    public static void FlipBits(List<byte> bytes, Random random)
    {
        for (int i = random.Next(1, 9); i > 0 && bytes.Count > 0; i--)
        {
            int at = random.Next(bytes.Count);
            bytes[at] ^= (byte)(1 << random.Next(8));
        }
    }

    public static void SetBytes(List<byte> bytes, Random random)
    {
        for (int i = random.Next(1, 5); i > 0 && bytes.Count > 0; i--)
        {
            bytes[random.Next(bytes.Count)] = random.Next(2) == 0 ? s_interestingBytes[random.Next(s_interestingBytes.Length)] : (byte)random.Next(256);
        }
    }

    public static void Truncate(List<byte> bytes, Random random)
    {
        int cut = random.Next(bytes.Count);
        bytes.RemoveRange(cut, bytes.Count - cut);
    }

    public static void RemoveRun(List<byte> bytes, Random random)
    {
        int start = random.Next(bytes.Count);
        bytes.RemoveRange(start, Math.Min(random.Next(1, 64), bytes.Count - start));
    }

    /// <summary>Keeps a prefix of this input and appends a suffix of another seed (often of another format).</summary>
    public static void Splice(List<byte> bytes, byte[] other, Random random)
    {
        int keep = random.Next(bytes.Count + 1);
        int from = random.Next(other.Length);
        bytes.RemoveRange(keep, bytes.Count - keep);
        bytes.AddRange(other.AsSpan(from).ToArray());
    }

    public static void Duplicate(List<byte> bytes, Random random)
    {
        if (bytes.Count == 0)
        {
            return;
        }

        int start = random.Next(bytes.Count);
        int length = Math.Min(random.Next(1, 256), bytes.Count - start);
        bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
    }

    /// <summary>Writes a length-like 32-bit word, little-endian, at a random offset: where a format keeps a size, it now claims another.</summary>
    public static void SetWord(List<byte> bytes, Random random)
    {
        if (bytes.Count < 4)
        {
            return;
        }

        uint value = random.Next(4) == 0 ? (uint)random.Next() : InterestingWords[random.Next(InterestingWords.Length)];
        int at = random.Next(2) == 0 ? random.Next(Math.Min(16, bytes.Count - 3)) : random.Next(bytes.Count - 3);
        for (int i = 0; i < 4; i++)
        {
            bytes[at + i] = (byte)(value >> (8 * i));
        }
    }
}
