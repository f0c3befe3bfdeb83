using System;
using Thumbnails;
using WasmSharedMemory;

namespace StbBench;

/// <summary>
/// stb.wasm through WasmSharedMemory and the sample's generated binding (<see cref="StbImage"/>): the photo in a
/// <see cref="WasmBuffer{T}"/>, each decode adopted and disposed (freed by the module's free), the resize into a
/// buffer the host allocated. Whatever the host does on every call (the gate, interruption checks) is counted.
/// </summary>
internal static class Binding
{
    public static string Run(string wasm, byte[] photo, int iterations)
    {
        using WasmHost host = WasmHost.FromFile(wasm);
        var stb = new StbImage(host);
        using WasmBuffer<byte> file = host.Allocate<byte>(photo.Length);
        file.CopyFrom(photo);

        double decode = Timing.MedianMilliseconds(iterations, () =>
        {
            uint pixels = stb.LoadFromMemory(file, file.Length, out int x, out int y, out int n, 0);
            if (pixels == 0)
            {
                throw new InvalidOperationException($"decode failed: {stb.FailureReason()}");
            }

            host.Adopt<byte>(pixels, x * y * n).Dispose();
        });

        uint address = stb.LoadFromMemory(file, file.Length, out int width, out int height, out int channels, 0);
        using WasmBuffer<byte> image = host.Adopt<byte>(address, width * height * channels);
        int w = width / 2, h = height / 2;
        using WasmBuffer<byte> resized = host.Allocate<byte>(w * h * channels);
        double resize = Timing.MedianMilliseconds(iterations, () =>
        {
            if (!stb.Resize(image, width, height, 0, resized, w, h, 0, channels))
            {
                throw new InvalidOperationException("resize failed");
            }
        });

        return Timing.Line(decode, resize, Timing.Checksum(resized.Span));
    }
}
