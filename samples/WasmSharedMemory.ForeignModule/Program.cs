// Shares typed buffers with a module this project did not build: imaging.wasm is C compiled by clang and
// linked by wasm-ld against wasi-libc (c/build.sh). The host allocates with the module's own malloc, fills
// the block through a span over its linear memory, passes the buffer to a C kernel (as its address, checked at
// each call) and reads the result in place. Nothing is copied between .NET and the module.
using System;
using System.IO;
using WasmSharedMemory;

const int Width = 64;
const int Height = 48;
bool ok = true;

// No contract given: the malloc(size)/free(ptr) exports identify the C one.
using WasmHost host = WasmHost.FromFile(Path.Combine(AppContext.BaseDirectory, "imaging.wasm"));
Console.WriteLine($"imaging.wasm: contract {host.Contract.Name}");

var blur = host.GetAction<WasmBuffer<float>, int, int>("box_blur");     // (float* pixels, int width, int height)
var sum = host.GetFunction<WasmBuffer<float>, int, float>("sum");       // (const float* values, int n) -> float
var brighten = host.GetAction<WasmBuffer<byte>, int, int>("brighten");  // (uint8_t* rgba, int n, int amount)

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
    blur(image, Width, Height);

    int matching = 0;
    for (int i = 0; i < pixels.Length; i++)
    {
        matching += pixels[i] == expected[i] ? 1 : 0;
    }

    float total = sum(image, image.Length);
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

    brighten(rgba, 4, 40);

    byte[] brightened = rgba.Span.ToArray();
    Console.WriteLine($"brighten +40: {string.Join(", ", brightened)}");
    ok &= brightened.AsSpan().SequenceEqual(new byte[] { 50, 168, 255, 255, 40, 40, 40, 128, 240, 140, 90, 0, 255, 255, 255, 255 });
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
