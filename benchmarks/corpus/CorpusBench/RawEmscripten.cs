using System;
using Wasmtime;

namespace CorpusBench;

/// <summary>What a raw-Wasmtime user writes for a minified Emscripten build's runtime imports: the resize, with Emscripten's own growth rule, and the big copy.</summary>
internal static class RawEmscripten
{
    /// <summary>
    /// emscripten_resize_heap(requestedSize) as the package's JavaScript does it: grow to the requested size (rounded
    /// up to 64 KiB) or 20 % over the current size, whichever is larger, capped at 2 GiB - 64 KiB; 1 on success, 0 on failure.
    /// </summary>
    public static int ResizeHeap(Memory memory, int requestedSize)
    {
        long old = memory.GetLength();
        long requested = (uint)requestedSize;
        const long max = 2147418112;
        if (requested > max)
        {
            return 0;
        }

        for (int cutDown = 1; cutDown <= 4; cutDown *= 2)
        {
            long overGrown = Math.Min((long)(old * (1 + 0.2 / cutDown)), requested + 100663296);
            long size = Math.Min(max, AlignUp(Math.Max(requested, overGrown), 65536));
            long pages = (size - old + 65535) >> 16;
            try
            {
                memory.Grow(pages);
                return 1;
            }
            catch (WasmtimeException)
            {
            }
        }

        return 0;
    }

    /// <summary>emscripten_memcpy_big(dest, src, n): the glue's <c>HEAPU8.copyWithin</c>.</summary>
    public static void MemcpyBig(Memory memory, int dest, int src, int n) =>
        memory.GetSpan<byte>(src, n).CopyTo(memory.GetSpan<byte>(dest, n));

    private static long AlignUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}
