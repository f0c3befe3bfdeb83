// The blog post's example in .NET: allocate three float blocks inside the WebAssembly module, fill two
// through spans over its linear memory, multiply inside wasm, read the product in place, free.
using System;
using System.Diagnostics;
using WasmSharedMemory;

var coldLoad = Stopwatch.StartNew();
SharedMemoryModule.Load().Dispose(); // the first load in a process compiles the module
coldLoad.Stop();

foreach (ModuleVariant variant in new[] { ModuleVariant.Auto, ModuleVariant.Scalar })
{
    using ISharedMemoryModule module = SharedMemoryModule.Load(variant);
    using WasmBuffer<float> a = module.Allocate<float>(16);
    using WasmBuffer<float> b = module.Allocate<float>(16);
    using WasmBuffer<float> product = module.Allocate<float>(16);

    Span<float> x = a.Span, y = b.Span;
    for (int i = 0; i < x.Length; i++) { x[i] = i + 1; y[i] = i + 1; }

    module.Multiply(a, b, product);
    Console.WriteLine($"{module.Variant}: {string.Join(", ", product.Span.ToArray())}");
}

// Later loads reuse the compiled module: only a store and an instance are created.
const int Loads = 50;
var warmLoad = Stopwatch.StartNew();
for (int i = 0; i < Loads; i++)
{
    SharedMemoryModule.Load().Dispose();
}

warmLoad.Stop();
Console.WriteLine($"Load: first {coldLoad.Elapsed.TotalMilliseconds:F1} ms (compiles the SIMD build), then {warmLoad.Elapsed.TotalMilliseconds * 1000 / Loads:F0} µs each (mean of {Loads}, load + dispose)");

// The same multiply on a million elements: one call into wasm, no copies in or out. Last, the SIMD build with one
// instance per core over one shared memory: the call is split across them (results are bit-identical).
const int Million = 1_000_000;
int cores = Math.Max(2, Environment.ProcessorCount);
foreach ((ModuleVariant variant, int parallelism) in new[] { (ModuleVariant.Simd, 1), (ModuleVariant.Scalar, 1), (ModuleVariant.Simd, cores) })
{
    using ISharedMemoryModule module = SharedMemoryModule.Load(variant, new SharedMemoryOptions { Parallelism = parallelism });
    using WasmBuffer<float> a = module.Allocate<float>(Million);
    using WasmBuffer<float> b = module.Allocate<float>(Million);
    using WasmBuffer<float> product = module.Allocate<float>(Million);
    Span<float> x = a.Span, y = b.Span;
    for (int i = 0; i < Million; i++) { x[i] = i % 1000 * 0.5f; y[i] = 2f; }

    module.Multiply(a, b, product); // warm-up: the first call pays for page faults
    const int Runs = 20;
    var watch = Stopwatch.StartNew();
    for (int run = 0; run < Runs; run++)
    {
        module.Multiply(a, b, product);
    }

    watch.Stop();
    float check = product.Span[Million - 1];
    string instances = parallelism == 1 ? string.Empty : $" on {parallelism} instances";
    Console.WriteLine($"{module.Variant}{instances}: {Million:N0} floats multiplied in {watch.Elapsed.TotalMilliseconds * 1000 / Runs:F0} µs per call (mean of {Runs}; last product {check})");
}
