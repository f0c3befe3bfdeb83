using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>The fuzzer's seeds: valid PNG, JPEG, GIF and BMP files of small odd and even sizes, the same on every run.</summary>
internal static class StbSeeds
{
    public static IReadOnlyList<SeedImage> All { get; } = Create();

    private static List<SeedImage> Create()
    {
        var random = new Random(21);
        var seeds = new List<SeedImage>();
        foreach ((int w, int h) in new[] { (1, 1), (7, 5), (16, 16), (33, 9) })
        {
            foreach (int colorType in new[] { 0, 2, 3, 4, 6 })
            {
                seeds.Add(PngEncoder.Encode(w, h, colorType, stored: (w + colorType) % 2 == 0, random));
            }

            seeds.Add(BmpEncoder.Encode(w, h, 8, topDown: false, random));
            seeds.Add(BmpEncoder.Encode(w, h, 24, topDown: w % 2 == 1, random));
            seeds.Add(BmpEncoder.Encode(w, h, 32, topDown: false, random));
            seeds.Add(GifEncoder.Encode(w, h, twoFrames: w > 8, interlaced: h == 9, random));
            seeds.Add(JpegEncoder.Encode(w, h, color: false, restartInterval: 0, random));
            seeds.Add(JpegEncoder.Encode(w, h, color: true, restartInterval: w > 8 ? 2 : 0, random));
        }

        return seeds;
    }
}
