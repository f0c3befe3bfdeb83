// The README's example, as a user's app runs it: against the WasmSharedMemory package, for both builds; then a parallel
// module (one shared memory, two instances) checked against one instance; then a binding the package's source generator
// wrote (Decoder.cs). All of it also runs as native AOT.
using System;
using System.Reflection;
using System.Runtime.Versioning;
using WasmSharedMemory;

Assembly library = typeof(SharedMemoryModule).Assembly;
Console.WriteLine($"Library: {library.GetName().Name} {library.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion} ({library.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName})");

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

// The README's parallel example at a size that splits: one shared memory, two instances, the same bits as one.
const int Million = 1 << 20;
using (ISharedMemoryModule single = SharedMemoryModule.Load(ModuleVariant.Auto))
using (ISharedMemoryModule parallel = SharedMemoryModule.Load(ModuleVariant.Auto, new SharedMemoryOptions { Parallelism = 2 }))
{
    using WasmBuffer<float> a1 = single.Allocate<float>(Million), p1 = single.Allocate<float>(Million);
    using WasmBuffer<float> a2 = parallel.Allocate<float>(Million), p2 = parallel.Allocate<float>(Million);
    for (int i = 0; i < Million; i++) { a1.Span[i] = a2.Span[i] = i * 0.25f; }

    single.Multiply(a1, a1, p1);
    parallel.Multiply(a2, a2, p2);
    bool same = p1.Span.SequenceEqual(p2.Span) && single.Dot(a1, a1) == parallel.Dot(a2, a2);
    Console.WriteLine($"Parallelism {parallel.Parallelism} ({parallel.Variant}): {(same ? "the same bits as one instance" : "DIFFERENT from one instance")}");
    if (!same)
    {
        return 1;
    }
}

// The binding: the generator shipped in the package implemented Decoder's partial methods at compile time.
var options = new WasmHostOptions();
Decoder.DefineImports(options.Imports);
using (WasmHost host = WasmHost.FromText(Decoder.Wat, options: options))
{
    var decoder = new Decoder(host);
    using WasmBuffer<byte> file = host.Allocate<byte>(10);
    file.Span[0] = 7;
    int result = decoder.Load(file, file.Length, out int width, out int height, out int channels, 4);
    Console.WriteLine($"Binding: load {result}, {width}x{height}x{channels}, {decoder.Describe(true)}, {decoder.Describe(false) ?? "null"}, reported {string.Join(" ", Decoder.Reported)}");
}

return 0;
