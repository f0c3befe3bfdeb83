// The .NET side of benchmarks/stb: the sample's stb.wasm timed as native.c and bench.mjs time theirs.
//
//   StbBench raw STB.wasm PHOTO.jpg ITERATIONS         raw Wasmtime.Dotnet, no interruption checks
//   StbBench raw-epoch STB.wasm PHOTO.jpg ITERATIONS   raw Wasmtime.Dotnet with epoch interruption
//   StbBench raw-epoch-library STB.wasm ...           raw-epoch with the settings WasmSharedMemory's engines use
//   StbBench raw-library STB.wasm ...                 raw with those settings, no interruption checks
//   StbBench binding STB.wasm PHOTO.jpg ITERATIONS     WasmSharedMemory's WasmHost and the generated binding
// Prints: decode_ms resize_ms checksum (medians; FNV-1a of the 960x540 pixels, as the other runners print it).
using System;
using System.IO;
using StbBench;

if (args.Length != 4 || args[0] is not ("raw" or "raw-epoch" or "raw-epoch-library" or "raw-library" or "binding"))
{
    Console.Error.WriteLine("usage: StbBench raw|raw-epoch|raw-epoch-library|raw-library|binding STB.wasm PHOTO.jpg ITERATIONS");
    return 2;
}

byte[] photo = File.ReadAllBytes(args[2]);
int iterations = int.Parse(args[3]);
Console.WriteLine(args[0] switch
{
    "raw" => RawWasmtime.Run(args[1], photo, iterations, epoch: false),
    "raw-epoch" => RawWasmtime.Run(args[1], photo, iterations, epoch: true),
    "raw-epoch-library" => RawWasmtime.Run(args[1], photo, iterations, epoch: true, libraryConfig: true),
    "raw-library" => RawWasmtime.Run(args[1], photo, iterations, epoch: false, libraryConfig: true),
    _ => Binding.Run(args[1], photo, iterations),
});
return 0;
