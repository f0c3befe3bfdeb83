using System;
using System.Diagnostics;
using Thumbnails;

namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>
/// One request as a service would serve it: the file into the module's memory, stb decodes it, the host adopts
/// stb's pixels and has stb resize them into a thumbnail of at most <see cref="ThumbnailSide"/> pixels a side.
/// </summary>
internal static class StbRequest
{
    public const int ThumbnailSide = 32;

    /// <summary>Serves <paramref name="input"/> on <paramref name="host"/>; the longest single call it made goes to <paramref name="longestCall"/>.</summary>
    /// <returns>The outcome; an exception other than the documented ones escapes, for the caller to report.</returns>
    public static StbOutcome Serve(WasmHost host, byte[] input, out TimeSpan longestCall, out ulong thumbnailHash)
    {
        longestCall = TimeSpan.Zero;
        thumbnailHash = 0;
        long started = Stopwatch.GetTimestamp();
        try
        {
            var stb = new StbImage(host);
            started = Stopwatch.GetTimestamp();
            using WasmBuffer<byte> data = host.Allocate<byte>(input.Length);
            input.CopyTo(data.Span);
            started = Stopwatch.GetTimestamp();
            uint pixels = stb.LoadFromMemory(data, input.Length, out int width, out int height, out int channels, 0);
            longestCall = Stopwatch.GetElapsedTime(started);
            if (pixels == 0)
            {
                return StbOutcome.DecodeFailed;
            }

            using WasmBuffer<byte> decoded = host.Adopt<byte>(pixels, checked(width * height * channels));
            (int thumbWidth, int thumbHeight) = ThumbnailSize(width, height);
            started = Stopwatch.GetTimestamp();
            using WasmBuffer<byte> thumbnail = host.Allocate<byte>(thumbWidth * thumbHeight * channels);
            started = Stopwatch.GetTimestamp();
            bool resized = stb.Resize(decoded, width, height, 0, thumbnail, thumbWidth, thumbHeight, 0, channels);
            TimeSpan resize = Stopwatch.GetElapsedTime(started);
            longestCall = resize > longestCall ? resize : longestCall;
            if (!resized)
            {
                return StbOutcome.ResizeFailed;
            }

            thumbnailHash = Fnv1a(thumbnail.Span);
            return StbOutcome.Decoded;
        }
        catch (WasmTrapException)
        {
            Stretch(ref longestCall, started);
            return StbOutcome.Trap;
        }
        catch (TimeoutException)
        {
            Stretch(ref longestCall, started);
            return StbOutcome.Timeout;
        }
        catch (WasmOutOfMemoryException)
        {
            return StbOutcome.OutOfMemory;
        }
    }

    /// <summary>The thumbnail's size: the longer side becomes <see cref="ThumbnailSide"/>, the other keeps the aspect ratio (at least 1).</summary>
    public static (int Width, int Height) ThumbnailSize(int width, int height)
    {
        if (width <= ThumbnailSide && height <= ThumbnailSide)
        {
            return (width, height);
        }

        return width >= height
            ? (ThumbnailSide, Math.Max(1, (int)((long)height * ThumbnailSide / width)))
            : (Math.Max(1, (int)((long)width * ThumbnailSide / height)), ThumbnailSide);
    }

    public static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return hash;
    }

    // The call that threw took from its start until now.
    private static void Stretch(ref TimeSpan longestCall, long started)
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        longestCall = elapsed > longestCall ? elapsed : longestCall;
    }
}
