using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// scale.wasm, built by the AssemblyScript compiler (asc 0.27.37, incremental GC runtime exported): its
/// pinning allocator detected with no contract given, its imports defined, its aborts decoded.
/// </summary>
public sealed class AssemblyScriptModuleTests : LeakCheckedTests
{
    // Where scale.ts throws: abort reports the line and column of the throw keyword.
    private const string NegativeLengthSite = "assembly/scale.ts:20:14";
    private const string FailSite = "assembly/scale.ts:93:3";

    [Fact]
    public void Load_NoContract_DetectsAssemblyScriptsPinningAllocator()
    {
        using WasmHost host = Load();

        Assert.Same(AllocatorContract.AssemblyScript, host.Contract);
        Assert.Equal("AssemblyScript: __new(i32 size, i32 classId) -> i32 then __pin(i32 ptr) -> i32, __unpin(i32 ptr) -> ()", host.Contract.ToString());
    }

    [Fact]
    public void Allocate_CallsNewWithClassIdZeroThenPins()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.AssemblyScript)));

        using (WasmBuffer<double> buffer = host.Allocate<double>(3))
        {
            // Class 0 is a plain object: its payload is never traced, whatever the host stores there.
            Assert.Equal(0, Global(host, "last_class"));
            Assert.Equal(1, Global(host, "pins"));
        }

        Assert.Equal(1, Global(host, "frees"));
    }

    [Fact]
    public void Allocate_PinsTheBlock_SoItSurvivesGarbageAndCollections()
    {
        using WasmHost host = Load();
        using WasmBuffer<byte> data = host.Allocate<byte>(4096);
        Assert.Equal(0u, data.Address % 16);
        Assert.True(data.Span.IndexOfAnyExcept((byte)0) < 0, "__new zero-fills");
        for (int i = 0; i < data.Length; i++) data.Span[i] = (byte)(i * 7);
        using WasmBuffer<byte> name = host.Allocate<byte>(2000);
        name.Span.Fill((byte)'y');
        var greet = host.GetFunction<int, int, int>("greet");

        for (int i = 0; i < 300; i++) greet((int)name.Address, name.Length); // about 2.4 MB of garbage strings
        host.GetAction("__collect")();

        for (int i = 0; i < data.Length; i++) Assert.Equal((byte)(i * 7), data.Span[i]);
    }

    [Fact]
    public void Dispose_UnpinsTheBlock_SoTheCollectorReclaimsIt()
    {
        using WasmHost host = Load();
        Action collect = host.GetAction("__collect");
        host.Allocate<byte>(64 * 1024).Dispose(); // the first block grows memory to fit
        collect();
        long before = host.MemoryBytes;

        // 200 more blocks of 64 KiB: 12.5 MiB more if unpinning freed nothing.
        for (int i = 0; i < 200; i++)
        {
            host.Allocate<byte>(64 * 1024).Dispose();
            collect();
        }

        Assert.Equal(before, host.MemoryBytes);
    }

    [Fact]
    public void Kernels_OverHostAllocatedBuffers_MatchCSharp()
    {
        using WasmHost host = Load();
        var random = new Random(11);
        using WasmBuffer<float> floats = host.Allocate<float>(1023);
        using WasmBuffer<double> doubles = host.Allocate<double>(1024);
        using WasmBuffer<int> ints = host.Allocate<int>(1000);
        using WasmBuffer<int> prefix = host.Allocate<int>(1000);
        using WasmBuffer<byte> bytes = host.Allocate<byte>(100_000);
        using WasmBuffer<uint> bins = host.Allocate<uint>(256);
        for (int i = 0; i < floats.Length; i++) floats.Span[i] = (float)(random.NextDouble() * 200 - 100);
        for (int i = 0; i < doubles.Length; i++) doubles.Span[i] = random.NextDouble() * 2000 - 1000;
        for (int i = 0; i < ints.Length; i++) ints.Span[i] = random.Next(int.MinValue, int.MaxValue); // the running sum wraps
        random.NextBytes(bytes.Span);
        bins.Span.Fill(12345); // garbage the kernel must clear
        float[] scaled = Array.ConvertAll(floats.ToArray(), v => v * 0.75f);
        double expectedSum = 0;
        foreach (double v in doubles.Span) expectedSum += v;
        int running = 0;
        int[] expectedPrefix = Array.ConvertAll(ints.ToArray(), v => running = unchecked(running + v));
        var expectedBins = new uint[256];
        foreach (byte b in bytes.Span) expectedBins[b]++;

        host.GetAction<int, int, float>("scale")((int)floats.Address, floats.Length, 0.75f);
        double sum = host.GetFunction<int, int, double>("sum")((int)doubles.Address, doubles.Length);
        host.GetAction<int, int, int>("prefix_sum")((int)ints.Address, (int)prefix.Address, ints.Length);
        host.GetAction<int, int, int>("histogram")((int)bytes.Address, bytes.Length, (int)bins.Address);

        Assert.Equal(scaled, floats.ToArray());
        Assert.Equal(expectedSum, sum);
        Assert.Equal(expectedPrefix, prefix.ToArray());
        Assert.Equal(expectedBins, bins.ToArray());
    }

    [Fact]
    public void Throw_SurfacesAsTrapWithTheDecodedAbortMessage()
    {
        using WasmHost host = Load();

        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("fail")(42));

        Assert.Equal("fail", ex.ExportName);
        Assert.Contains($"AssemblyScript abort: \"fail 42\" at {FailSite}.", ex.Message);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void NegativeLength_AbortsWithTheKernelsThrowSite()
    {
        using WasmHost host = Load();
        using WasmBuffer<float> values = host.Allocate<float>(4);

        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int, int, float>("scale")((int)values.Address, -1, 2f));

        Assert.Contains($"\"negative length\" at {NegativeLengthSite}.", ex.Message);
    }

    [Fact]
    public void Allocate_PastTheRuntimesLimit_TrapsWithItsAbortMessage()
    {
        using WasmHost host = Load();

        var ex = Assert.Throws<WasmTrapException>(() => host.Allocate<byte>(1_073_741_804));

        Assert.Equal("__new", ex.ExportName);
        Assert.Contains("\"Allocation too large\" at ~lib/rt/itcms.ts:", ex.Message);
        Assert.True(host.IsFaulted);
    }

    [Theory]
    [InlineData("world")]
    [InlineData("")]
    [InlineData("Wörld ✓ and 🦀")]
    public void Greet_LogsThroughAHostFunctionThatReadsGuestMemory(string name)
    {
        var logs = new List<string>();
        using WasmHost host = Load(log: (memory, ptr, length) => logs.Add(memory.ReadUtf8((uint)ptr, length)));
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        using WasmBuffer<byte> buffer = host.Allocate<byte>(utf8.Length);
        buffer.CopyFrom(utf8);

        int logged = host.GetFunction<int, int, int>("greet")((int)buffer.Address, buffer.Length);

        Assert.Equal(new[] { $"hello, {name}!" }, logs);
        Assert.Equal(Encoding.UTF8.GetByteCount($"hello, {name}!"), logged);
    }

    [Fact]
    public void ScaleWithHost_CallsTheHostFunctionOncePerElementInOrder()
    {
        var seen = new List<float>();
        using WasmHost host = Load(scale: x =>
        {
            seen.Add(x);
            return (x * 3) + 1;
        });
        using WasmBuffer<float> values = host.Allocate<float>(37);
        for (int i = 0; i < values.Length; i++) values.Span[i] = (i / 3f) - 5;
        float[] input = values.ToArray();

        host.GetAction<int, int>("scale_with_host")((int)values.Address, values.Length);

        Assert.Equal(input, seen);
        Assert.Equal(Array.ConvertAll(input, x => (x * 3) + 1), values.ToArray());
    }

    [Fact]
    public void HostFunction_Throwing_TrapsTheExportWithTheHostsException()
    {
        var thrown = new ArgumentException("no negative samples");
        using WasmHost host = Load(scale: x => x < 0 ? throw thrown : x);
        using WasmBuffer<float> values = host.Allocate<float>(3);
        values.CopyFrom(new[] { 1f, -1f, 2f });

        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int, int>("scale_with_host")((int)values.Address, values.Length));

        Assert.Equal("scale_with_host", ex.ExportName);
        Assert.Same(thrown, ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public async Task HostFunction_AllocatingAndCallingExports_ReentersItsHost()
    {
        WasmHost? host = null;
        var kept = new List<WasmBuffer<float>>();
        host = Load(scale: x =>
        {
            // __new and __pin run inside scale_with_host, and the pinned block outlives the call.
            WasmBuffer<float> scratch = host!.Allocate<float>(16);
            kept.Add(scratch);
            scratch.Span[0] = x;
            host.GetAction<int, int, float>("scale")((int)scratch.Address, 1, 2f);
            return scratch.Span[0];
        });
        using (host)
        {
            using WasmBuffer<float> values = host.Allocate<float>(50);
            for (int i = 0; i < values.Length; i++) values.Span[i] = i;

            // On another thread with a deadline, so a deadlock fails the test instead of hanging it.
            await Task.Run(() => host.GetAction<int, int>("scale_with_host")((int)values.Address, values.Length)).WaitAsync(TimeSpan.FromSeconds(30));
            host.GetAction("__collect")();

            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(i * 2f, values.Span[i]);
                Assert.Equal(i * 2f, kept[i].Span[0]);
            }

            Assert.Equal(51, host.LiveBuffers);
            kept.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void Grow_WhileASpanIsHeld_TheSpanKeepsItsDataAndAddress()
    {
        using WasmHost host = Load();
        using WasmBuffer<float> values = host.Allocate<float>(256);
        Span<float> held = values.Span;
        for (int i = 0; i < held.Length; i++) held[i] = i;
        long before = host.MemoryBytes;

        int previousPages = host.GetFunction<int, int>("grow")(3);
        using WasmBuffer<byte> big = host.Allocate<byte>(8 << 20); // __new grows memory again

        Assert.Equal(before / 65536, previousPages);
        Assert.True(host.MemoryBytes >= before + (3 * 65536) + (8 << 20));
        for (int i = 0; i < held.Length; i++) Assert.Equal(i, held[i]);
        host.GetAction<int, int, float>("scale")((int)values.Address, values.Length, 2f);
        for (int i = 0; i < held.Length; i++) Assert.Equal(i * 2f, held[i]);
    }

    private static int Global(WasmHost host, string name) => (int)host.Guest.Instance.GetGlobal(name)!.GetValue()!;

    private WasmHost Load(Func<float, float>? scale = null, Action<GuestMemory, int, int>? log = null)
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "host_scale", scale ?? (x => x * 2));
        options.Imports.Define("env", "host_log", log ?? ((memory, ptr, length) => { }));
        return Track(WasmHost.FromFile(ToolchainModules.AssemblyScript, options: options));
    }
}
