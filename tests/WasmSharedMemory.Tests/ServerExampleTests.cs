using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>The README's binding of imaging.wasm's <c>sum</c>, as written there.</summary>
[WasmModule("imaging.wasm")]
public sealed partial class Imaging
{
    [WasmExport("sum")]   // float sum(const float *values, int n)
    public partial float Sum(WasmBuffer<float> values, int count);
}

/// <summary>The README's "Bring your own module" code, run as written on the ForeignModule sample's <c>imaging.wasm</c>.</summary>
public sealed class ServerExampleTests : LeakCheckedTests
{
    [Fact]
    public void ReadmeExample_ModuleAndPool_ServesConcurrentRequests()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Modules", "imaging.wasm");
        string cache = Path.Combine(Path.GetTempPath(), "wsm-readme-" + Guid.NewGuid().ToString("N"));
        try
        {
            // --- README code starts ---
            // Compile once, at startup; the cache makes later processes load verified compiled code instead.
            using WasmModule module = WasmModule.FromFile(path, new WasmModuleOptions { CacheDirectory = cache });

            // What every host gets: here the host function imaging.wasm imports.
            var options = new WasmHostOptions();
            options.Imports.Define("env", "host_histogram", (GuestMemory memory, int bins, int count) => { });

            // One host per concurrent request, a fresh instance for each lease (WasmHostReuse.Never, the default).
            using var pool = new WasmHostPool(module, maxHosts: Environment.ProcessorCount, options);

            float Mean(float[] values)
            {
                using WasmHostLease lease = pool.Rent();
                var imaging = new Imaging(lease.Host);   // binds and checks the declared exports, once per lease
                using WasmBuffer<float> buffer = lease.Host.Allocate<float>(values.Length);
                buffer.CopyFrom(values);
                return imaging.Sum(buffer, buffer.Length) / values.Length;
            }
            // --- README code ends ---

            float[] means = new float[8];
            Parallel.For(0, means.Length, i => means[i] = Mean(Enumerable.Repeat((float)i, 1000).ToArray()));

            Assert.Equal(Enumerable.Range(0, 8).Select(i => (float)i), means);
            Assert.Equal(0, pool.LeasedHosts);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
