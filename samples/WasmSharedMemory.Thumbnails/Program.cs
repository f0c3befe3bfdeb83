// Makes PNG thumbnails with stb, a C library nobody here wrote, compiled to WebAssembly as it is (c/build.sh)
// and called through bindings generated from StbImage.cs. Nothing is copied between .NET and the module but
// the files themselves: each file is streamed straight into a block of the module's memory, stb decodes it
// into a block of its own that the host adopts, resizes into a block the host allocated, and encodes a PNG
// into another block of its own, which the host adopts and streams out to a file.
//
// Then every result is compared with what Node computed from the same stb.wasm on the same files (check.mjs
// writes out/node/): the decoded pixels and the PNG by SHA-256, the thumbnail byte for byte. Exits 1 on any
// difference, or when a buffer is left alive.
//
//   bash samples/WasmSharedMemory.Thumbnails/images.sh                     draws the input images (ImageMagick)
//   node --test samples/WasmSharedMemory.Thumbnails/check.mjs              Node's results, into out/node/
//   dotnet run --project samples/WasmSharedMemory.Thumbnails               thumbnails into out/dotnet/
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Thumbnails;
using WasmSharedMemory;

const int ThumbnailSide = 256;

string sampleDirectory = typeof(StbImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .Single(a => a.Key == "SampleDirectory").Value!;
string images = Path.Combine(sampleDirectory, "images");
string node = Path.Combine(sampleDirectory, "out", "node");
string output = Path.Combine(sampleDirectory, "out", "dotnet");
if (!File.Exists(Path.Combine(node, "manifest.json")))
{
    Console.Error.WriteLine($"No results from Node in {node}: run `node --test samples/WasmSharedMemory.Thumbnails/check.mjs` first.");
    return 1;
}

using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(node, "manifest.json")));
Directory.CreateDirectory(output);

// No contract given: the malloc(size)/free(ptr) exports identify the C one. The host runs _initialize and
// defines the WASI functions stb imports (its failed asserts write to stderr) with nothing granted.
using WasmHost host = WasmHost.FromFile(Path.Combine(AppContext.BaseDirectory, "stb.wasm"));
var stb = new StbImage(host); // binds every export now, and would list every one stb.wasm lacks or types differently
Console.WriteLine($"stb.wasm: contract {host.Contract.Name}, {host.MemoryBytes / 1024} KiB of memory");

int mismatches = 0;
foreach (JsonProperty expected in manifest.RootElement.EnumerateObject())
{
    string name = expected.Name;
    JsonElement fromNode = expected.Value;
    var problems = new List<string>();

    // The file, streamed into the module's memory (CopyTo's 80 KiB chunks): no array ever holds the whole file.
    using FileStream file = File.OpenRead(Path.Combine(images, name));
    using WasmBuffer<byte> data = host.Allocate<byte>(checked((int)file.Length));
    using (Stream target = data.AsStream())
    {
        file.CopyTo(target);
    }

    if (!stb.InfoFromMemory(data, data.Length, out int infoWidth, out int infoHeight, out int infoChannels))
    {
        Console.WriteLine($"{name}: stb cannot read it: {stb.FailureReason()}");
        mismatches++;
        continue;
    }

    // desiredChannels 0: as many channels as the file has (grey stays grey, alpha stays).
    uint decodedAddress = stb.LoadFromMemory(data, data.Length, out int width, out int height, out int channels, 0);
    if (decodedAddress == 0)
    {
        Console.WriteLine($"{name}: decoding failed: {stb.FailureReason()}");
        mismatches++;
        continue;
    }

    // stb's block, owned from here on: disposing it frees it through the module's free (stbi_image_free is free).
    using WasmBuffer<byte> decoded = host.Adopt<byte>(decodedAddress, width * height * channels);
    Expect(problems, "info", $"{infoWidth}x{infoHeight}x{infoChannels}", $"{width}x{height}x{channels}");
    Expect(problems, "size", $"{Int(fromNode, "width")}x{Int(fromNode, "height")}x{Int(fromNode, "channels")}", $"{width}x{height}x{channels}");
    Expect(problems, "decoded pixels (SHA-256)", Text(fromNode, "decodedSha256"), Sha256(decoded.Span));

    (int thumbWidth, int thumbHeight) = ThumbnailSize(width, height);
    using WasmBuffer<byte> thumbnail = host.Allocate<byte>(thumbWidth * thumbHeight * channels);
    if (!stb.Resize(decoded, width, height, 0, thumbnail, thumbWidth, thumbHeight, 0, channels))
    {
        Console.WriteLine($"{name}: resizing to {thumbWidth}x{thumbHeight} failed");
        mismatches++;
        continue;
    }

    Expect(problems, "thumbnail size", $"{Int(fromNode, "thumbnailWidth")}x{Int(fromNode, "thumbnailHeight")}", $"{thumbWidth}x{thumbHeight}");
    byte[] nodePixels = File.ReadAllBytes(Path.Combine(node, name + ".pixels"));
    if (Differences(nodePixels, thumbnail.Span) is { } differences)
    {
        problems.Add($"thumbnail: {differences}");
    }

    uint pngAddress = stb.WritePngToMemory(thumbnail, thumbWidth * channels, thumbWidth, thumbHeight, channels, out int pngLength);
    if (pngAddress == 0)
    {
        Console.WriteLine($"{name}: encoding the PNG failed");
        mismatches++;
        continue;
    }

    // The PNG stb malloc'ed, its length from the out-parameter; streamed out to the file from where it lies.
    using WasmBuffer<byte> png = host.Adopt<byte>(pngAddress, pngLength);
    using (FileStream thumbFile = File.Create(Path.Combine(output, Path.GetFileNameWithoutExtension(name) + ".thumb.png")))
    using (Stream source = png.AsStream())
    {
        source.CopyTo(thumbFile);
    }

    Expect(problems, "PNG (SHA-256)", $"{Int(fromNode, "pngLength")} bytes {Text(fromNode, "pngSha256")}", $"{pngLength} bytes {Sha256(png.Span)}");

    Console.WriteLine($"{name}: {width}x{height}x{channels} -> {thumbWidth}x{thumbHeight}, PNG of {pngLength} bytes: "
        + (problems.Count == 0 ? "decoded pixels, thumbnail and PNG equal Node's" : "MISMATCH " + string.Join("; ", problems)));
    mismatches += problems.Count;
}

int count = manifest.RootElement.EnumerateObject().Count();
Console.WriteLine($"live buffers: {host.LiveBuffers}; {(mismatches == 0 ? $"all {count} images match Node" : $"{mismatches} MISMATCH(ES)")}");
return mismatches == 0 && host.LiveBuffers == 0 ? 0 : 1;

// The largest side becomes 256, the other keeps the aspect ratio rounded half up (at least 1); smaller images
// keep their size. Integers only, as check.mjs computes it, so both agree on every size.
static (int Width, int Height) ThumbnailSize(int width, int height)
{
    if (width <= ThumbnailSide && height <= ThumbnailSide)
    {
        return (width, height);
    }

    return width >= height
        ? (ThumbnailSide, Math.Max(1, (int)(((long)height * ThumbnailSide + (width / 2)) / width)))
        : (Math.Max(1, (int)(((long)width * ThumbnailSide + (height / 2)) / height)), ThumbnailSide);
}

static void Expect(List<string> problems, string what, string expected, string actual)
{
    if (expected != actual)
    {
        problems.Add($"{what}: Node {expected}, .NET {actual}");
    }
}

// Null when equal, else how they differ.
static string? Differences(ReadOnlySpan<byte> node, ReadOnlySpan<byte> dotnet)
{
    if (node.Length != dotnet.Length)
    {
        return $"{dotnet.Length} bytes, Node's {node.Length}";
    }

    int count = 0;
    for (int i = 0; i < node.Length; i++)
    {
        count += node[i] != dotnet[i] ? 1 : 0;
    }

    return count == 0 ? null : $"{count} of {node.Length} bytes differ from Node's";
}

static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

static int Int(JsonElement element, string property) => element.GetProperty(property).GetInt32();

static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
