using System;
using System.Collections.Generic;
using System.IO;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Writes a GIF89a of one or two frames over a global color table. Its LZW data holds only literal codes and a
/// clear code before the decoder's table would need a wider code, so the encoder needs no dictionary and every
/// code stays 9 bits wide; the decoder still runs its whole table logic.
/// </summary>
internal static class GifEncoder
{
    private const int MinimumCodeSize = 8;
    private const int Clear = 1 << MinimumCodeSize;
    private const int EndOfInformation = Clear + 1;

    // The decoder adds an entry per code after the first; at 512 entries codes become 10 bits wide.
    private const int LiteralsPerClear = 250;

    public static SeedImage Encode(int width, int height, bool twoFrames, bool interlaced, Random random)
    {
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteShort(gif, width);
        WriteShort(gif, height);
        gif.WriteByte(0xF7); // a global color table of 256 entries, 8 bits of color resolution
        gif.WriteByte(0);
        gif.WriteByte(0);
        var palette = new byte[256 * 3];
        random.NextBytes(palette);
        gif.Write(palette);
        int descriptor = 0;
        for (int frame = 0; frame < (twoFrames ? 2 : 1); frame++)
        {
            // A graphic control extension: a delay and a transparent color index.
            gif.Write(new byte[] { 0x21, 0xF9, 4, 0x05, 10, 0, (byte)random.Next(256), 0 });
            descriptor = descriptor == 0 ? (int)gif.Position : descriptor;
            gif.WriteByte(0x2C);
            WriteShort(gif, 0);
            WriteShort(gif, 0);
            WriteShort(gif, width);
            WriteShort(gif, height);
            gif.WriteByte(interlaced ? (byte)0x40 : (byte)0);
            gif.WriteByte(MinimumCodeSize);
            WriteSubBlocks(gif, Lzw(width * height, random));
        }

        gif.WriteByte(0x3B);
        return new SeedImage($"gif{(twoFrames ? "-2frames" : "")}{(interlaced ? "-interlaced" : "")}-{width}x{height}", gif.ToArray(),
            new List<DimensionField> { new(6, 2, false), new(8, 2, false), new(descriptor + 5, 2, false), new(descriptor + 7, 2, false) });
    }

    private static byte[] Lzw(int pixels, Random random)
    {
        var bits = new BitWriter();
        for (int i = 0; i < pixels; i++)
        {
            if (i % LiteralsPerClear == 0)
            {
                bits.Write(Clear, MinimumCodeSize + 1);
            }

            bits.Write(random.Next(256), MinimumCodeSize + 1);
        }

        bits.Write(EndOfInformation, MinimumCodeSize + 1);
        return bits.ToArray();
    }

    private static void WriteSubBlocks(Stream gif, byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += 255)
        {
            int length = Math.Min(255, data.Length - offset);
            gif.WriteByte((byte)length);
            gif.Write(data, offset, length);
        }

        gif.WriteByte(0);
    }

    private static void WriteShort(Stream gif, int value)
    {
        gif.WriteByte((byte)value);
        gif.WriteByte((byte)(value >> 8));
    }

    /// <summary>Packs codes least significant bit first, as GIF's LZW does.</summary>
    private sealed class BitWriter
    {
        private readonly MemoryStream _bytes = new();
        private int _pending;
        private int _count;

        public void Write(int code, int width)
        {
            _pending |= code << _count;
            _count += width;
            while (_count >= 8)
            {
                _bytes.WriteByte((byte)_pending);
                _pending >>= 8;
                _count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0)
            {
                _bytes.WriteByte((byte)_pending);
                _count = 0;
            }

            return _bytes.ToArray();
        }
    }
}
