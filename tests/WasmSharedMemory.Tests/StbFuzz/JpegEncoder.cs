using System;
using System.Collections.Generic;
using System.IO;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// Writes baseline JPEGs (grey, or three components without subsampling; optionally with restart markers):
/// a plain DCT, one flat quantization table, and Huffman tables of equal-length codes (every DC category in
/// 4 bits, every AC run/size in 8 bits), which keeps the encoder short and still gives the decoder full-size
/// tables, so mutated entropy data decodes into every kind of coefficient.
/// </summary>
internal static class JpegEncoder
{
    private const int Quantizer = 8;
    private static readonly int[] s_zigzag = Zigzag();
    private static readonly byte[] s_acSymbols = AcSymbols();

    public static SeedImage Encode(int width, int height, bool color, int restartInterval, Random random)
    {
        int components = color ? 3 : 1;
        var pixels = new byte[components][];
        for (int c = 0; c < components; c++)
        {
            pixels[c] = new byte[width * height];
            for (int i = 0; i < pixels[c].Length; i++)
            {
                pixels[c][i] = (byte)((i % width * 9) + (i / width * 5) + (c * 60) + random.Next(16));
            }
        }

        var jpeg = new MemoryStream();
        Marker(jpeg, 0xD8);
        Segment(jpeg, 0xDB, Repeat(0, 65, Quantizer));
        var frame = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (int c = 0; c < components; c++)
        {
            frame.AddRange(new byte[] { (byte)(c + 1), 0x11, 0 });
        }

        int frameOffset = (int)jpeg.Position;
        Segment(jpeg, 0xC0, frame.ToArray());
        var dc = new byte[1 + 16 + 12];
        dc[1 + 3] = 12;
        for (int i = 0; i < 12; i++)
        {
            dc[17 + i] = (byte)i;
        }

        var ac = new byte[1 + 16 + s_acSymbols.Length];
        ac[0] = 0x10;
        ac[1 + 7] = (byte)s_acSymbols.Length;
        s_acSymbols.CopyTo(ac, 17);
        Segment(jpeg, 0xC4, dc);
        Segment(jpeg, 0xC4, ac);
        if (restartInterval > 0)
        {
            Segment(jpeg, 0xDD, new[] { (byte)(restartInterval >> 8), (byte)restartInterval });
        }

        var scan = new List<byte> { (byte)components };
        for (int c = 0; c < components; c++)
        {
            scan.AddRange(new byte[] { (byte)(c + 1), 0x00 });
        }

        scan.AddRange(new byte[] { 0, 63, 0 });
        Segment(jpeg, 0xDA, scan.ToArray());
        WriteScan(jpeg, pixels, width, height, restartInterval);
        Marker(jpeg, 0xD9);
        string name = $"jpeg-{(color ? "color" : "grey")}{(restartInterval > 0 ? "-restart" : "")}-{width}x{height}";
        // The frame header: FF C0, a 2-byte length, the precision, then height and width.
        return new SeedImage(name, jpeg.ToArray(), new List<DimensionField> { new(frameOffset + 5, 2, true), new(frameOffset + 7, 2, true) });
    }

    private static void WriteScan(Stream jpeg, byte[][] pixels, int width, int height, int restartInterval)
    {
        var bits = new EntropyWriter(jpeg);
        var previousDc = new int[pixels.Length];
        var block = new int[64];
        int blocksAcross = (width + 7) / 8;
        int units = blocksAcross * ((height + 7) / 8);
        for (int unit = 0; unit < units; unit++)
        {
            if (restartInterval > 0 && unit > 0 && unit % restartInterval == 0)
            {
                bits.Flush();
                Marker(jpeg, (byte)(0xD0 + ((unit / restartInterval) - 1) % 8));
                Array.Clear(previousDc);
            }

            for (int c = 0; c < pixels.Length; c++)
            {
                Transform(pixels[c], width, height, unit % blocksAcross * 8, unit / blocksAcross * 8, block);
                int diff = block[0] - previousDc[c];
                previousDc[c] = block[0];
                int category = Category(diff);
                bits.Write(category, 4);
                bits.WriteValue(diff, category);
                int run = 0;
                for (int k = 1; k < 64; k++)
                {
                    int value = block[s_zigzag[k]];
                    if (value == 0)
                    {
                        run++;
                        continue;
                    }

                    for (; run > 15; run -= 16)
                    {
                        bits.Write(Array.IndexOf(s_acSymbols, (byte)0xF0), 8);
                    }

                    int size = Category(value);
                    bits.Write(Array.IndexOf(s_acSymbols, (byte)((run << 4) | size)), 8);
                    bits.WriteValue(value, size);
                    run = 0;
                }

                if (run > 0)
                {
                    bits.Write(0, 8); // end of block: symbol 0x00 is first in the table
                }
            }
        }

        bits.Flush();
    }

    /// <summary>The quantized DCT of the 8×8 block at (x0, y0), edge pixels repeated past the image.</summary>
    private static void Transform(byte[] plane, int width, int height, int x0, int y0, int[] block)
    {
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                double sum = 0;
                for (int y = 0; y < 8; y++)
                {
                    for (int x = 0; x < 8; x++)
                    {
                        int sample = plane[(Math.Min(y0 + y, height - 1) * width) + Math.Min(x0 + x, width - 1)] - 128;
                        sum += sample * Math.Cos((2 * x + 1) * u * Math.PI / 16) * Math.Cos((2 * y + 1) * v * Math.PI / 16);
                    }
                }

                double scale = (u == 0 ? Math.Sqrt(0.5) : 1) * (v == 0 ? Math.Sqrt(0.5) : 1) / 4;
                block[(v * 8) + u] = (int)Math.Round(sum * scale / Quantizer);
            }
        }
    }

    private static int Category(int value)
    {
        int magnitude = Math.Abs(value);
        int category = 0;
        for (; magnitude > 0; magnitude >>= 1)
        {
            category++;
        }

        return category;
    }

    private static void Marker(Stream jpeg, byte marker)
    {
        jpeg.WriteByte(0xFF);
        jpeg.WriteByte(marker);
    }

    private static void Segment(Stream jpeg, byte marker, byte[] payload)
    {
        Marker(jpeg, marker);
        jpeg.WriteByte((byte)((payload.Length + 2) >> 8));
        jpeg.WriteByte((byte)(payload.Length + 2));
        jpeg.Write(payload);
    }

    private static byte[] Repeat(byte first, int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        bytes[0] = first;
        return bytes;
    }

    // End of block, sixteen zeros, then every run of 0 to 15 zeros before a coefficient of 1 to 10 bits.
    private static byte[] AcSymbols()
    {
        var symbols = new List<byte> { 0x00, 0xF0 };
        for (int run = 0; run < 16; run++)
        {
            for (int size = 1; size <= 10; size++)
            {
                symbols.Add((byte)((run << 4) | size));
            }
        }

        return symbols.ToArray();
    }

    // Zigzag position k to its index in a row-major block: walk the anti-diagonals, alternating direction.
    private static int[] Zigzag()
    {
        var order = new int[64];
        int k = 0;
        for (int diagonal = 0; diagonal < 15; diagonal++)
        {
            for (int i = 0; i <= diagonal; i++)
            {
                int row = diagonal % 2 == 0 ? diagonal - i : i;
                int column = diagonal - row;
                if (row < 8 && column < 8)
                {
                    order[k++] = (row * 8) + column;
                }
            }
        }

        return order;
    }

    /// <summary>Packs Huffman codes most significant bit first, stuffing a zero after every 0xFF.</summary>
    private sealed class EntropyWriter
    {
        private readonly Stream _jpeg;
        private int _pending;
        private int _count;

        public EntropyWriter(Stream jpeg) => _jpeg = jpeg;

        public void Write(int code, int width)
        {
            for (int bit = width - 1; bit >= 0; bit--)
            {
                _pending = (_pending << 1) | ((code >> bit) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>A coefficient's extra bits: the value itself, or for a negative one, value − 1 in its low bits.</summary>
        public void WriteValue(int value, int size)
        {
            if (size > 0)
            {
                Write(value < 0 ? value + (1 << size) - 1 : value, size);
            }
        }

        /// <summary>Pads the last byte with one bits, as a marker must follow on a byte boundary.</summary>
        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            _jpeg.WriteByte((byte)_pending);
            if (_pending == 0xFF)
            {
                _jpeg.WriteByte(0);
            }

            (_pending, _count) = (0, 0);
        }
    }
}
