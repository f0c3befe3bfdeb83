using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Writes 8-bit PNGs (grey, grey+alpha, RGB, RGBA or a 256-entry palette), unfiltered pixels under a filter byte
/// that cycles through all five filters, so a decoder runs every unfilter path; any bytes are a valid image.
/// </summary>
internal static class PngEncoder
{
    private static readonly uint[] s_crcTable = CrcTable();

    /// <summary>Color type 0, 2, 3, 4 or 6; <paramref name="stored"/> writes deflate's uncompressed blocks.</summary>
    public static SeedImage Encode(int width, int height, int colorType, bool stored, Random random)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colorType)) };
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte((byte)(y % 5));
            for (int x = 0; x < width * channels; x++)
            {
                raw.WriteByte((byte)(x * 7 + y * 13 + random.Next(4)));
            }
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, stored ? CompressionLevel.NoCompression : CompressionLevel.Optimal, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(zlib);
        }

        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8;
        header[9] = (byte)colorType;
        Chunk(png, "IHDR", header);
        if (colorType == 3)
        {
            var palette = new byte[256 * 3];
            random.NextBytes(palette);
            Chunk(png, "PLTE", palette);
            var transparency = new byte[16];
            random.NextBytes(transparency);
            Chunk(png, "tRNS", transparency);
        }

        // Two IDAT chunks: the decoder must join them.
        byte[] data = compressed.ToArray();
        int half = data.Length / 2;
        Chunk(png, "IDAT", data.AsSpan(0, half));
        Chunk(png, "IDAT", data.AsSpan(half));
        Chunk(png, "IEND", ReadOnlySpan<byte>.Empty);
        string kind = colorType switch { 0 => "grey", 2 => "rgb", 3 => "palette", 4 => "greyalpha", _ => "rgba" };
        return new SeedImage($"png-{kind}{(stored ? "-stored" : "")}-{width}x{height}", png.ToArray(),
            new List<DimensionField> { new(16, 4, true), new(20, 4, true) });
    }

    private static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        var word = new byte[4];
        WriteBigEndian(word, 0, (uint)data.Length);
        png.Write(word);
        var typed = new byte[4 + data.Length];
        for (int i = 0; i < 4; i++)
        {
            typed[i] = (byte)type[i];
        }

        data.CopyTo(typed.AsSpan(4));
        png.Write(typed);
        WriteBigEndian(word, 0, Crc(typed));
        png.Write(word);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] CrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static void WriteBigEndian(byte[] target, int offset, uint value)
    {
        target[offset] = (byte)(value >> 24);
        target[offset + 1] = (byte)(value >> 16);
        target[offset + 2] = (byte)(value >> 8);
        target[offset + 3] = (byte)value;
    }
}
