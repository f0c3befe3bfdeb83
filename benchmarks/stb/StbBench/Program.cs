// The .NET side of benchmarks/stb: the sample's stb.wasm on raw Wasmtime.Dotnet (Engine, Linker, Store,
// Function.Invoke; no WasmSharedMemory), timed as native.c and bench.mjs time theirs.
//
//   StbBench raw PHOTO.jpg ITERATIONS         Wasmtime's defaults: no interruption checks in the compiled code
//   StbBench raw-epoch PHOTO.jpg ITERATIONS   epoch interruption on, an epoch ticking every 10 ms and a deadline
//                                             far off, as a host with a call timeout runs it
// Prints: decode_ms resize_ms checksum (medians; FNV-1a of the resized pixels, as the other runners print it).
// Function.Invoke boxes its arguments; a few hundred bytes per call are noise against milliseconds of work.
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Wasmtime;

if (args.Length != 4 || args[0] is not ("raw" or "raw-epoch"))
{
    Console.Error.WriteLine("usage: StbBench raw|raw-epoch STB.wasm PHOTO.jpg ITERATIONS");
    return 2;
}

bool epoch = args[0] == "raw-epoch";
byte[] photo = File.ReadAllBytes(args[2]);
int iterations = int.Parse(args[3]);
const int Warmup = 3;

using var config = new Config().WithEpochInterruption(epoch);
using var engine = new Engine(config);
using var module = Module.FromFile(engine, args[1]);
using var linker = new Linker(engine);
linker.DefineWasi();
using var store = new Store(engine);
store.SetWasiConfiguration(new WasiConfiguration());
using var ticker = epoch ? new Timer(_ => engine.IncrementEpoch(), null, 10, 10) : null;
if (epoch)
{
    store.SetEpochDeadline(ulong.MaxValue / 2);
}

Instance instance = linker.Instantiate(store, module);
Memory memory = instance.GetMemory("memory")!;
Function Export(string name) => instance.GetFunction(name) ?? throw new InvalidOperationException($"no export {name}");
Export("_initialize").Invoke();
Function malloc = Export("malloc"), load = Export("stbi_load_from_memory"), imageFree = Export("stbi_image_free"),
    resize = Export("stbir_resize_uint8");

int outs = (int)malloc.Invoke(16)!; // int x, y, channels
int file = (int)malloc.Invoke(photo.Length)!;
photo.CopyTo(memory.GetSpan<byte>(file, photo.Length));

var times = new double[iterations];
for (int i = -Warmup; i < iterations; i++)
{
    long start = Stopwatch.GetTimestamp();
    int pixels = (int)load.Invoke(file, photo.Length, outs, outs + 4, outs + 8, 0)!;
    if (i >= 0)
    {
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    if (pixels == 0)
    {
        throw new InvalidOperationException("decode failed");
    }

    imageFree.Invoke(pixels);
}

double decode = Median(times);

int image = (int)load.Invoke(file, photo.Length, outs, outs + 4, outs + 8, 0)!;
int x = memory.ReadInt32(outs), y = memory.ReadInt32(outs + 4), n = memory.ReadInt32(outs + 8);
int w = x / 2, h = y / 2;
int resized = (int)malloc.Invoke(w * h * n)!;
for (int i = -Warmup; i < iterations; i++)
{
    long start = Stopwatch.GetTimestamp();
    int ok = (int)resize.Invoke(image, x, y, 0, resized, w, h, 0, n)!;
    if (i >= 0)
    {
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    if (ok == 0)
    {
        throw new InvalidOperationException("resize failed");
    }
}

double resizeMs = Median(times);
uint hash = 2166136261;
foreach (byte value in memory.GetSpan<byte>(resized, w * h * n))
{
    hash = (hash ^ value) * 16777619;
}

Console.WriteLine($"{decode:F2} {resizeMs:F2} {hash:x8}");
return 0;

static double Median(double[] times) => times.Order().ElementAt(times.Length / 2);
