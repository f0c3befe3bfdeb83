using System;
using System.Linq;

namespace WasmSharedMemory.Tests;

/// <summary>
/// growth.c and embind.cpp built by Debian's emscripten 3.1.6 as Emscripten publishes modules (Modules/emscripten/build.sh):
/// standalone, with JavaScript glue, minified and with embind, each loaded with nothing of its glue written by hand
/// but the minified build's renamed imports, which the README's recipe defines.
/// </summary>
public sealed class EmscriptenBuildsTests : LeakCheckedTests
{
    private const int MiB = 1 << 20;

    public static TheoryData<string> UnminifiedBuilds => new() { "emscripten_standalone.wasm", "emscripten_glue.wasm" };

    [Theory]
    [MemberData(nameof(UnminifiedBuilds))]
    public void Load_AsPublished_RunsConstructorsOnceAndDetectsMalloc(string file)
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path(file)));

        Assert.Same(AllocatorContract.CMalloc, host.Contract);
        Assert.Equal(42, host.GetFunction<int>("constructors_ran")());
    }

    [Theory]
    [MemberData(nameof(UnminifiedBuilds))]
    public void Allocate_64MiBFromA16MiBHeap_GrowsMemoryAndHashesAsCSharp(string file)
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path(file)));
        Assert.Equal(16 * MiB, host.Memory.Length);

        using WasmBuffer<byte> data = host.Allocate<byte>(64 * MiB);
        for (int i = 0; i < data.Length; i++) data.Span[i] = (byte)(i * 7);

        Assert.True(host.Memory.Length > 64 * MiB);
        Assert.Equal(Fnv1a(data.Span), (uint)host.GetFunction<int, int, int>("fnv1a")((int)data.Address, data.Length));
    }

    [Fact]
    public void GlueBuild_ModuleAllocatesPastItsHeap_GrowsThroughResizeHeapAndCopiesThroughMemcpyBig()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("emscripten_glue.wasm")));
        const int count = 40 * MiB;

        int pattern = host.GetFunction<int, int>("make_pattern")(count);
        using WasmBuffer<byte> copy = host.Allocate<byte>(count);
        host.GetAction<int, int, int>("copy_bytes")((int)copy.Address, pattern, count);

        Assert.NotEqual(0, pattern);
        Assert.True(host.Memory.Length >= 80 * MiB);
        Assert.True(copy.Span.SequenceEqual(host.Memory.GetSpan<byte>((uint)pattern, count)));
        Assert.Equal(unchecked((byte)((count - 1) * 31 + 7)), copy.Span[count - 1]);
    }

    [Fact]
    public void GlueBuild_AssertionFails_TrapsWithTheAssertion()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("emscripten_glue.wasm")));
        Func<int, int> checkedPositive = host.GetFunction<int, int>("checked_positive");

        Assert.Equal(5, checkedPositive(5));
        WasmTrapException ex = Assert.Throws<WasmTrapException>(() => checkedPositive(0));

        Assert.Contains("Emscripten assertion failed: \"value > 0\" at growth.c:44 in checked_positive.", ex.Message);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void GlueBuild_SixtyFourBitResult_ReturnsItsLowHalf()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("emscripten_glue.wasm")));

        // Legalized for JavaScript: the low 32 bits return, the high ones went to the built-in setTempRet0.
        Assert.Equal(unchecked((int)(5L << 33)), host.GetFunction<int, int>("shifted")(5));
    }

    [Fact]
    public void GlueBuild_UserDefinesARuntimeImport_TheirsReplacesTheBuiltIn()
    {
        int calls = 0;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "emscripten_resize_heap", (GuestMemory memory, int requested) =>
        {
            calls++;
            return memory.Grow((((uint)requested - memory.Length) + 65535) / 65536) >= 0 ? 1 : 0;
        });
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("emscripten_glue.wasm"), options: options));

        using WasmBuffer<byte> data = host.Allocate<byte>(20 * MiB);

        Assert.Equal(1, calls);
    }

    [Fact]
    public void MinifiedBuild_ImportsDefinedAsTheReadmeShows_LoadsGrowsAndHashes()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("emscripten_minified.wasm"), MinifiedMalloc, MinifiedOptions()));
        host.GetAction("f")(); // __wasm_call_ctors, which the library cannot recognize under its minified name

        using WasmBuffer<byte> data = host.Allocate<byte>(64 * MiB);
        for (int i = 0; i < data.Length; i++) data.Span[i] = (byte)(i * 7);

        Assert.Equal(42, host.GetFunction<int>("g")());
        Assert.True(host.Memory.Length > 64 * MiB); // memory exported as "e", found without being named
        Assert.Equal(Fnv1a(data.Span), (uint)host.GetFunction<int, int, int>("h")((int)data.Address, data.Length));
    }

    [Fact]
    public void Pool_WithCustomContract_ServesTwoThreadsFromTheMinifiedBuild()
    {
        using var module = WasmModule.FromFile(ToolchainModules.Path("emscripten_minified.wasm"));
        using var pool = new WasmHostPool(module, 2, MinifiedOptions(), contract: MinifiedMalloc);
        byte[] input = Enumerable.Range(0, 3 * MiB).Select(i => (byte)(i * 13)).ToArray();
        uint expected = Fnv1a(input);

        uint[] hashes = new uint[4];
        System.Threading.Tasks.Parallel.For(0, hashes.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            using WasmHostLease lease = pool.Rent();
            WasmHost host = lease.Host;
            using WasmBuffer<byte> data = host.Allocate<byte>(input.Length);
            data.CopyFrom(input);
            hashes[i] = (uint)host.GetFunction<int, int, int>("h")((int)data.Address, data.Length);
        });

        Assert.All(hashes, h => Assert.Equal(expected, h));
    }

    [Fact]
    public void MinifiedBuild_NothingDefined_OneErrorListsEveryImport()
    {
        AllocatorContract malloc = AllocatorContract.Custom("emscripten malloc", "j", AllocatorParameters.Size, "o", FreeParameters.Pointer);

        WasmContractException ex = Assert.Throws<WasmContractException>(() => WasmHost.FromFile(ToolchainModules.Path("emscripten_minified.wasm"), malloc));

        Assert.Contains("a.a (i32) -> (), a.b (i32) -> i32, a.c (i32, i32, i32) -> i32, a.d (i32, i32, i32, i32) -> (), which nothing defines", ex.Message);
    }

    [Fact]
    public void EmbindBuild_LoadsWithRegistrationsAsNoOps_AndRawExportsWork()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("emscripten_embind.wasm")));
        using WasmBuffer<int> values = host.Allocate<int>(1000);
        for (int i = 0; i < values.Length; i++) values.Span[i] = i - 300;
        using WasmBuffer<byte> text = host.AllocateUtf8("Hello, embind!");

        int changed = host.GetFunction<int, int, int>("upper_ascii")((int)text.Address, text.Length);

        Assert.Equal(unchecked((int)Enumerable.Range(-300, 1000).Sum(i => (long)i)), host.GetFunction<int, int, int>("sum_int32")((int)values.Address, values.Length));
        Assert.Equal(10, changed);
        Assert.Equal("HELLO, EMBIND!", host.Memory.ReadUtf8(text.Address, "HELLO, EMBIND!".Length));
    }

    [Fact]
    public void Load_JavaScriptApiImports_OneErrorListsEachAndNoRuntimeOne()
    {
        string wat = System.IO.File.ReadAllText(ToolchainModules.Path("emscripten_js_apis.wat"));

        WasmContractException ex = Assert.Throws<WasmContractException>(() => WasmHost.FromText(wat));

        Assert.Contains("The module imports env._emval_incref (i32) -> (), env.__syscall_openat (i32, i32, i32, i32) -> i32, which nothing defines", ex.Message);
        Assert.Contains("env.emscripten_resize_heap (i32 requestedSize) -> i32 (Emscripten)", ex.Message); // listed among what the host defines
    }

    /// <summary>The minified build's malloc (j) and free (o), named from its glue's exports.</summary>
    private static AllocatorContract MinifiedMalloc { get; } = AllocatorContract.Custom("emscripten malloc", "j", AllocatorParameters.Size, "o", FreeParameters.Pointer);

    /// <summary>
    /// The README's recipe for a minified build: its glue's <c>asmLibraryArg</c> says a.b is emscripten_resize_heap,
    /// a.c emscripten_memcpy_big, a.d __assert_fail and a.a setTempRet0.
    /// </summary>
    private static WasmHostOptions MinifiedOptions()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("a", "a", (int high) => { });
        options.Imports.Define("a", "b", (GuestMemory memory, int requested) =>
            memory.Grow((((uint)requested - memory.Length) + 65535) / 65536) >= 0 ? 1 : 0);
        options.Imports.Define("a", "c", (GuestMemory memory, int dest, int src, int count) =>
        {
            memory.GetSpan<byte>((uint)src, count).CopyTo(memory.GetSpan<byte>((uint)dest, count));
            return dest;
        });
        options.Imports.Define("a", "d", (int condition, int file, int line, int function) =>
            throw new InvalidOperationException($"assertion failed at line {line}"));
        return options;
    }

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261u;
        foreach (byte b in bytes) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
