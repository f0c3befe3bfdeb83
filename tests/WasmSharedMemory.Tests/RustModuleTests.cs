using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// host_calls.wasm, compiled Rust (rustc 1.63, rust/fixtures/host_calls) with wasm-bindgen's allocator ABI that
/// calls two functions its host defines.
/// </summary>
public sealed class RustModuleTests : LeakCheckedTests
{
    [Fact]
    public void Load_NoContract_DetectsWasmBindgen_AndTheHostFunctionsTransformASharedBuffer()
    {
        var seen = new List<float>();
        using WasmHost host = Load(transform: x =>
        {
            seen.Add(x);
            return (x * 3) - 1;
        });
        using WasmBuffer<float> values = host.Allocate<float>(100);
        for (int i = 0; i < values.Length; i++) values.Span[i] = (i / 4f) - 7;
        float[] input = values.ToArray();

        host.GetAction<int, int>("transform_f32")((int)values.Address, values.Length);

        Assert.Same(AllocatorContract.WasmBindgen, host.Contract);
        Assert.Equal(input, seen);
        Assert.Equal(Array.ConvertAll(input, x => (x * 3) - 1), values.ToArray());
    }

    [Fact]
    public void LogSum_LogsThroughAHostFunctionThatReadsGuestMemory()
    {
        var logs = new List<string>();
        using WasmHost host = Load(log: (memory, ptr, length) => logs.Add(memory.ReadUtf8((uint)ptr, length)));
        using WasmBuffer<int> values = host.Allocate<int>(3);
        values.CopyFrom(new[] { int.MaxValue, int.MaxValue, int.MaxValue });

        long sum = host.GetFunction<int, int, long>("log_sum")((int)values.Address, values.Length);

        Assert.Equal(3L * int.MaxValue, sum);
        Assert.Equal(new[] { $"sum of 3 values: {3L * int.MaxValue}" }, logs);
    }

    [Fact]
    public void HostFunction_Throwing_TrapsTheExportWithTheHostsException()
    {
        var thrown = new InvalidOperationException("transform failed");
        using WasmHost host = Load(transform: x => x > 1 ? throw thrown : x);
        using WasmBuffer<float> values = host.Allocate<float>(4);
        values.CopyFrom(new[] { 0f, 1f, 2f, 3f });

        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int, int>("transform_f32")((int)values.Address, values.Length));

        Assert.Equal("transform_f32", ex.ExportName);
        Assert.Same(thrown, ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public async Task HostFunction_AllocatingAndCallingExports_ReentersItsHost()
    {
        WasmHost? host = null;
        var logs = new List<string>();
        host = Load(
            transform: x =>
            {
                // Allocate with the module's allocator and call one of its exports from inside transform_f32.
                using WasmBuffer<int> one = host!.Allocate<int>(1);
                one.Span[0] = (int)x;
                return host.GetFunction<int, int, long>("log_sum")((int)one.Address, 1) + 0.5f;
            },
            log: (memory, ptr, length) => logs.Add(memory.ReadUtf8((uint)ptr, length)));
        using (host)
        {
            using WasmBuffer<float> values = host.Allocate<float>(3);
            values.CopyFrom(new[] { 4f, 5f, 6f });

            await Task.Run(() => host.GetAction<int, int>("transform_f32")((int)values.Address, values.Length)).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(new[] { 4.5f, 5.5f, 6.5f }, values.ToArray());
            Assert.Equal(new[] { "sum of 1 values: 4", "sum of 1 values: 5", "sum of 1 values: 6" }, logs);
            Assert.Equal(1, host.LiveBuffers);
        }
    }

    private WasmHost Load(Func<float, float>? transform = null, Action<GuestMemory, int, int>? log = null)
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "host_transform", transform ?? (x => x));
        options.Imports.Define("env", "host_log", log ?? ((memory, ptr, length) => { }));
        return Track(WasmHost.FromFile(ToolchainModules.Rust, options: options));
    }
}
