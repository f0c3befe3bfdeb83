using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// signal.wasm, built by Emscripten (emcc 3.1.6, -sSTANDALONE_WASM --no-entry): a reactor whose C constructor
/// runs only from _initialize, with malloc/free, a host import and the growth notification.
/// </summary>
public sealed class EmscriptenModuleTests : LeakCheckedTests
{
    [Fact]
    public void Load_NoContract_DetectsCMallocAndRunsInitializeOnce()
    {
        using WasmHost host = Load();
        Func<int> initialized = host.GetFunction<int>("initialized");

        Assert.Same(AllocatorContract.CMalloc, host.Contract);
        Assert.Equal(1, initialized()); // the C constructor ran exactly once
        using (host.Allocate<byte>(100)) { }
        Assert.Equal(1, initialized());
    }

    [Fact]
    public void Crc32_UsesTheTableTheConstructorBuilt()
    {
        using WasmHost host = Load();
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        using WasmBuffer<byte> data = host.Allocate<byte>(check.Length);
        data.CopyFrom(check);

        // CRC-32's standard check value; with the constructor unrun the table is zeros and this is 0xFFFFFFFF.
        Assert.Equal(0xCBF43926u, (uint)host.GetFunction<int, int, int>("crc32")((int)data.Address, data.Length));
    }

    [Fact]
    public void Kernels_OverHostAllocatedBuffers_MatchCSharp()
    {
        using WasmHost host = Load();
        var random = new Random(5);
        const int n = 1024;
        using WasmBuffer<float> x = host.Allocate<float>(n);
        using WasmBuffer<float> y = host.Allocate<float>(n);
        using WasmBuffer<short> pcm = host.Allocate<short>(n);
        for (int i = 0; i < n; i++) x.Span[i] = (float)((random.NextDouble() * 2) - 1);
        for (int i = 0; i < n; i++) pcm.Span[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        float[] gained = Array.ConvertAll(x.ToArray(), v => v * 0.7f);
        float total = 0f;
        foreach (float v in gained) total += v * v;
        float rms = MathF.Sqrt(total / n);

        host.GetAction<int, int, float>("gain")((int)x.Address, n, 0.7f);
        float rmsGot = host.GetFunction<int, int, float>("rms")((int)x.Address, n);

        Assert.Equal(gained, x.ToArray());
        Assert.Equal(rms, rmsGot);

        host.GetAction<int, int, int>("pcm16_to_float")((int)pcm.Address, (int)y.Address, n);
        Assert.Equal(Array.ConvertAll(pcm.ToArray(), s => s / 32768f), y.ToArray());
    }

    [Fact]
    public void Clip_LogsThroughAHostFunctionThatReadsGuestMemory()
    {
        var logs = new List<string>();
        using WasmHost host = Load(log: (memory, ptr, length) => logs.Add(memory.ReadUtf8((uint)ptr, length)));
        using WasmBuffer<float> x = host.Allocate<float>(9);
        x.CopyFrom(new[] { 0.5f, 1.5f, -2f, 1f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.999f });

        int clamped = host.GetFunction<int, int, float, int>("clip")((int)x.Address, x.Length, 1f);

        Assert.Equal(4, clamped);
        Assert.Equal(new[] { 0.5f, 1f, -1f, 1f, -1f, float.NaN, 1f, -1f, 0.999f }, x.ToArray());
        Assert.Equal(new[] { "clip: 9 samples \u2192 4 clamped" }, logs);
    }

    [Fact]
    public void MallocGrowingMemory_UsesTheBuiltInNotification_AndHeldSpansKeepTheirData()
    {
        using WasmHost host = Load();
        using WasmBuffer<float> held = host.Allocate<float>(256);
        Span<float> span = held.Span;
        for (int i = 0; i < span.Length; i++) span[i] = i;
        long before = host.MemoryBytes;

        int pages = host.GetFunction<int, int>("grow_heap")(8 << 20);

        Assert.Equal(host.MemoryBytes / 65536, pages);
        Assert.True(host.MemoryBytes > Math.Max(before, 8 << 20), $"memory grew from {before} to {host.MemoryBytes} bytes");
        for (int i = 0; i < span.Length; i++) Assert.Equal(i, span[i]);
        host.GetAction<int, int, float>("gain")((int)held.Address, held.Length, 2f);
        for (int i = 0; i < span.Length; i++) Assert.Equal(i * 2f, span[i]);
        host.GetFunction<int, int>("grow_heap")(0);
    }

    [Fact]
    public void NotifyMemoryGrowth_DefinedByTheUser_ReplacesTheBuiltIn()
    {
        var notified = new List<(int Index, long Bytes)>();
        WasmHost? host = null;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "host_log", (int ptr, int length) => { });
        options.Imports.Define("env", "emscripten_notify_memory_growth", (GuestMemory memory, int index) => notified.Add((index, memory.Length)));

        host = Track(WasmHost.FromFile(ToolchainModules.Emscripten, options: options));
        using (host)
        {
            using WasmBuffer<byte> big = host.Allocate<byte>(4 << 20);

            Assert.NotEmpty(notified);
            Assert.All(notified, n => Assert.Equal(0, n.Index));
            Assert.Equal(host.MemoryBytes, notified[^1].Bytes); // called after the growth
        }
    }

    [Fact]
    public void HostFunction_Throwing_TrapsTheExportWithTheHostsException()
    {
        var thrown = new InvalidOperationException("log sink closed");
        using WasmHost host = Load(log: (memory, ptr, length) => throw thrown);
        using WasmBuffer<float> x = host.Allocate<float>(4);

        var ex = Assert.Throws<WasmTrapException>(() => host.GetFunction<int, int, float, int>("clip")((int)x.Address, x.Length, 1f));

        Assert.Equal("clip", ex.ExportName);
        Assert.Same(thrown, ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public async Task HostFunction_AllocatingAndCallingExports_ReentersItsHost()
    {
        WasmHost? host = null;
        var checksums = new List<uint>();
        host = Load(log: (memory, ptr, length) =>
        {
            // Copy the message into a buffer of our own with the module's malloc, and checksum it with its crc32.
            using WasmBuffer<byte> copy = host!.Allocate<byte>(length);
            memory.GetSpan<byte>((uint)ptr, length).CopyTo(copy.Span);
            checksums.Add((uint)host.GetFunction<int, int, int>("crc32")((int)copy.Address, copy.Length));
        });
        using (host)
        {
            using WasmBuffer<float> x = host.Allocate<float>(3);
            x.CopyFrom(new[] { 5f, 0f, -5f });

            await Task.Run(() => host.GetFunction<int, int, float, int>("clip")((int)x.Address, x.Length, 1f)).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(new[] { Crc32(Encoding.UTF8.GetBytes("clip: 3 samples \u2192 2 clamped")) }, checksums);
            Assert.Equal(1, host.LiveBuffers);
        }
    }

    private static uint Crc32(byte[] bytes)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c ^ 0xFFFFFFFFu;
    }

    private WasmHost Load(Action<GuestMemory, int, int>? log = null)
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "host_log", log ?? ((memory, ptr, length) => { }));
        return Track(WasmHost.FromFile(ToolchainModules.Emscripten, options: options));
    }
}
