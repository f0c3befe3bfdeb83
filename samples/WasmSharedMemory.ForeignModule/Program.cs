// Shares typed buffers with a module this project did not build: imaging.wasm is C compiled by clang and
// linked by wasm-ld against wasi-libc (c/build.sh). The host allocates with the module's own malloc, fills
// the block through a span over its linear memory, passes the address to a C kernel and reads the result in
// place; the module hands its histogram back the same way, through a host function it imports that reads
// the bins where they lie in its memory. Nothing is copied between .NET and the module. The kernels are called
// through Imaging (Imaging.cs), a binding the source generator writes at compile time and checks against
// imaging.wasm.
using System;
using System.IO;
using WasmSharedMemory;

const int Width = 64;
const int Height = 48;
bool ok = true;

// luma_histogram calls env.host_histogram(bins, 256) with a block of its own memory; the callback checks the
// bins in place against the C# reference the code below sets before each call. This import stays a lambda given
// to options.Imports.Define rather than a [WasmImport] method of Imaging: it captures this run's state, which a
// generated import (a static method) could only reach through static fields.
uint[] expectedBins = new uint[256];
bool? binsMatch = null;
var options = new WasmHostOptions();
options.Imports.Define("env", "host_histogram", (GuestMemory memory, int bins, int count) =>
    binsMatch = memory.GetSpan<uint>((uint)bins, count).SequenceEqual(expectedBins));

// No contract given: the malloc(size)/free(ptr) exports identify the C one.
using WasmHost host = WasmHost.FromFile(Path.Combine(AppContext.BaseDirectory, "imaging.wasm"), options: options);
Console.WriteLine($"imaging.wasm: contract {host.Contract.Name}");

// The generated constructor binds every export Imaging declares, once, and checks each signature now.
var imaging = new Imaging(host);

using (WasmBuffer<float> image = host.Allocate<float>(Width * Height))
{
    // Squares of 0 and 100 with a gentle ramp, so the blur has edges to soften.
    Span<float> pixels = image.Span;
    for (int y = 0; y < Height; y++)
    {
        for (int x = 0; x < Width; x++)
        {
            pixels[(y * Width) + x] = ((((x / 8) + (y / 8)) % 2) * 100f) + (x * 0.25f);
        }
    }

    float[] expected = BoxBlur(pixels.ToArray(), Width, Height);

    // The span stays valid across the call even though box_blur mallocs: this engine never moves memory.
    imaging.BoxBlur(image, Width, Height);

    int matching = 0;
    for (int i = 0; i < pixels.Length; i++)
    {
        matching += pixels[i] == expected[i] ? 1 : 0;
    }

    float total = imaging.Sum(image, image.Length);
    float expectedTotal = 0f;
    foreach (float value in expected)
    {
        expectedTotal += value;
    }

    Console.WriteLine($"box_blur {Width}x{Height}: {matching} of {pixels.Length} pixels equal the C# reference; "
        + $"corner {pixels[0]}, edge {pixels[7]}, inside {pixels[(9 * Width) + 8]}");
    Console.WriteLine($"sum: {total} (C# reference {expectedTotal})");
    ok &= matching == pixels.Length && total == expectedTotal;
}

using (WasmBuffer<byte> rgba = host.Allocate<byte>(4 * 4))
{
    byte[] colors = { 10, 128, 250, 255, 0, 0, 0, 128, 200, 100, 50, 0, 255, 255, 255, 255 };
    colors.CopyTo(rgba.Span);

    imaging.Brighten(rgba, 4, 40);

    byte[] brightened = rgba.Span.ToArray();
    Console.WriteLine($"brighten +40: {string.Join(", ", brightened)}");
    ok &= brightened.AsSpan().SequenceEqual(new byte[] { 50, 168, 255, 255, 40, 40, 40, 128, 240, 140, 90, 0, 255, 255, 255, 255 });
}

using (WasmBuffer<byte> photo = host.Allocate<byte>(4 * Width * Height))
{
    // A diagonal gradient with a flat grey square, so one luma dominates.
    Span<byte> rgba = photo.Span;
    for (int i = 0; i < Width * Height; i++)
    {
        int x = i % Width, y = i / Width;
        bool square = x is >= 8 and < 40 && y is >= 8 and < 40;
        rgba[4 * i] = square ? (byte)90 : (byte)(x * 4);
        rgba[(4 * i) + 1] = square ? (byte)90 : (byte)(y * 5);
        rgba[(4 * i) + 2] = square ? (byte)90 : (byte)((x + y) * 2);
        rgba[(4 * i) + 3] = 255;
    }

    int expectedMode = LumaHistogram(rgba, expectedBins);
    int mode = imaging.LumaHistogram(photo, Width * Height);

    Console.WriteLine($"luma_histogram: mode {mode} (C# reference {expectedMode}); bins read in module memory {(binsMatch == true ? "match" : "DIFFER")}");
    ok &= mode == expectedMode && binsMatch == true;
}

Console.WriteLine($"live buffers: {host.LiveBuffers}; {(ok ? "all results match" : "MISMATCH")}");
return ok && host.LiveBuffers == 0 ? 0 : 1;

// The C kernel's arithmetic exactly: single precision, the in-image part of each 3x3 neighbourhood summed
// row above, current, below, left to right, then divided by the count.
static float[] BoxBlur(float[] source, int width, int height)
{
    var result = new float[source.Length];
    for (int y = 0; y < height; y++)
    {
        for (int x = 0; x < width; x++)
        {
            float total = 0f;
            int count = 0;
            for (int yy = Math.Max(0, y - 1); yy <= Math.Min(height - 1, y + 1); yy++)
            {
                for (int xx = Math.Max(0, x - 1); xx <= Math.Min(width - 1, x + 1); xx++)
                {
                    total += source[(yy * width) + xx];
                    count++;
                }
            }

            result[(y * width) + x] = total / count;
        }
    }

    return result;
}

// The C kernel's bins: luma (77 R + 150 G + 29 B) >> 8 per pixel; returns the most frequent, the lowest on a tie.
static int LumaHistogram(ReadOnlySpan<byte> rgba, uint[] bins)
{
    Array.Clear(bins);
    for (int i = 0; i < rgba.Length / 4; i++)
    {
        bins[((77 * rgba[4 * i]) + (150 * rgba[(4 * i) + 1]) + (29 * rgba[(4 * i) + 2])) >> 8]++;
    }

    int mode = 0;
    for (int v = 1; v < bins.Length; v++)
    {
        if (bins[v] > bins[mode])
        {
            mode = v;
        }
    }

    return mode;
}
