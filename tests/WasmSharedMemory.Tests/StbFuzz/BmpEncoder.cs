using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>Writes uncompressed BMPs (BITMAPINFOHEADER) of 8 bits with a palette, 24 or 32 bits, bottom-up or top-down.</summary>
internal static class BmpEncoder
{
    public static SeedImage Encode(int width, int height, int bitsPerPixel, bool topDown, Random random)
    {
        int paletteBytes = bitsPerPixel == 8 ? 256 * 4 : 0;
        int stride = ((width * bitsPerPixel / 8) + 3) & ~3;
        int pixelOffset = 14 + 40 + paletteBytes;
        var bmp = new byte[pixelOffset + (stride * height)];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        Write(bmp, 2, bmp.Length);
        Write(bmp, 10, pixelOffset);
        Write(bmp, 14, 40);
        Write(bmp, 18, width);
        Write(bmp, 22, topDown ? -height : height);
        bmp[26] = 1;
        bmp[28] = (byte)bitsPerPixel;
        Write(bmp, 34, stride * height);
        if (paletteBytes > 0)
        {
            Write(bmp, 46, 256);
        }

        random.NextBytes(bmp.AsSpan(54));
        return new SeedImage($"bmp-{bitsPerPixel}{(topDown ? "-topdown" : "")}-{width}x{height}", bmp,
            new List<DimensionField> { new(18, 4, false), new(22, 4, false) });
    }

    private static void Write(byte[] target, int offset, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(offset, 4), value);
}
