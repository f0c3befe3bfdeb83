using System;
using System.Threading;
using Wasmtime;

namespace StbBench;

/// <summary>
/// stb.wasm on Wasmtime.Dotnet alone (Engine, Linker, Store, <see cref="Function.Invoke(ValueBox[])"/>), with
/// Wasmtime's defaults and, when asked, epoch interruption compiled in, an epoch ticking every 10 ms and a
/// deadline far off, as a host with a call timeout runs it. Invoke boxes its arguments: a few hundred bytes per
/// call, noise against milliseconds of work.
/// </summary>
internal static class RawWasmtime
{
    public static string Run(string wasm, byte[] photo, int iterations, bool epoch, bool libraryConfig = false)
    {
        // libraryConfig: the settings WasmSharedMemory's engines start from (ModuleCatalog.CreateConfig), to tell
        // the engine's settings apart from the library's call path when the binding is slower than raw.
        using var config = libraryConfig
            ? new Config().WithMemoryMayMove(false).WithStaticMemoryMaximumSize(1UL << 32).WithMaximumStackSize(128 * 1024)
                .WithOptimizationLevel(OptimizationLevel.Speed).WithEpochInterruption(epoch)
            : new Config().WithEpochInterruption(epoch);
        using var engine = new Engine(config);
        using var module = Module.FromFile(engine, wasm);
        using var linker = new Linker(engine);
        linker.DefineWasi();
        using var store = new Store(engine);
        store.SetWasiConfiguration(new WasiConfiguration());
        using Timer? ticker = epoch ? new Timer(_ => engine.IncrementEpoch(), null, 10, 10) : null;
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

        double decode = Timing.MedianMilliseconds(iterations, () =>
        {
            int pixels = (int)load.Invoke(file, photo.Length, outs, outs + 4, outs + 8, 0)!;
            if (pixels == 0)
            {
                throw new InvalidOperationException("decode failed");
            }

            imageFree.Invoke(pixels);
        });

        int image = (int)load.Invoke(file, photo.Length, outs, outs + 4, outs + 8, 0)!;
        int x = memory.ReadInt32(outs), y = memory.ReadInt32(outs + 4), n = memory.ReadInt32(outs + 8);
        int w = x / 2, h = y / 2;
        int resized = (int)malloc.Invoke(w * h * n)!;
        double resizeMs = Timing.MedianMilliseconds(iterations, () =>
        {
            if ((int)resize.Invoke(image, x, y, 0, resized, w, h, 0, n)! == 0)
            {
                throw new InvalidOperationException("resize failed");
            }
        });

        return Timing.Line(decode, resizeMs, Timing.Checksum(memory.GetSpan<byte>(resized, w * h * n)));
    }
}
