using System;
using System.Diagnostics;
using System.Linq;

namespace StbBench;

/// <summary>The loop every runner of benchmarks/stb shares (native.c and bench.mjs do the same): 3 warm-ups, then the median.</summary>
internal static class Timing
{
    private const int Warmup = 3;

    /// <summary>Times <paramref name="run"/> <paramref name="iterations"/> times after the warm-ups and returns the median in milliseconds.</summary>
    public static double MedianMilliseconds(int iterations, Action run)
    {
        var times = new double[iterations];
        for (int i = -Warmup; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        return times.Order().ElementAt(iterations / 2);
    }

    /// <summary>FNV-1a of the resized pixels, as the other runners compute it, so run.sh can tell they agree.</summary>
    public static uint Checksum(ReadOnlySpan<byte> pixels)
    {
        uint hash = 2166136261;
        foreach (byte value in pixels)
        {
            hash = (hash ^ value) * 16777619;
        }

        return hash;
    }

    /// <summary>The line run.sh reads.</summary>
    public static string Line(double decode, double resize, uint checksum) => $"{decode:F2} {resize:F2} {checksum:x8}";
}
