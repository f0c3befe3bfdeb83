// The README's example, as a user's app runs it: against the WasmSharedMemory package, for both builds.
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
