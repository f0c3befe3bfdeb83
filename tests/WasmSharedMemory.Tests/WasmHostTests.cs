using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Wasmtime;

namespace WasmSharedMemory.Tests;

/// <summary>Loading any module: contract detection and validation, guarded exports, limits, timeouts and WASI.</summary>
public sealed class WasmHostTests : LeakCheckedTests
{
    public static TheoryData<string, string> Contracts => new()
    {
        { nameof(AllocatorContract.CMalloc), HostModules.CMalloc },
        { nameof(AllocatorContract.WasmBindgen), HostModules.WasmBindgen },
        { nameof(AllocatorContract.WasmSharedMemory), HostModules.WasmSharedMemory },
        { nameof(AllocatorContract.AssemblyScript), HostModules.AssemblyScript },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void FromText_DetectsTheContractAndSharesBuffersWithTheExports(string contract, string allocator)
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator, HostModules.Sum + HostModules.Scale)));
        using WasmBuffer<float> values = host.Allocate<float>(4);
        values.CopyFrom(new[] { 1f, 2f, 3f, 4f });

        host.GetAction<int, int, float>("scale")((int)values.Address, values.Length, 2.5f);
        float sum = host.GetFunction<int, int, float>("sum")((int)values.Address, values.Length);

        Assert.Equal(contract, host.Contract.Name);
        Assert.Equal(new[] { 2.5f, 5f, 7.5f, 10f }, values.ToArray());
        Assert.Equal(25f, sum);
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Dispose_FreesThroughTheContractsFreeExport(string contract, string allocator)
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator)));
        host.Allocate<int>(3).Dispose();
        host.Allocate<int>(0).Dispose(); // empty buffers never reach the guest

        Assert.Equal(contract, host.Contract.Name);
        Assert.Equal(1, Frees(host));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void FromText_CustomContract_UsesTheNamedExportsAndArguments()
    {
        const string allocator = $$"""
            (func (export "my_alloc") (param $size i32) (result i32) {{HostModules.Bump}})
            (func (export "my_free") (param i32 i32) {{HostModules.CountFree}})
            """;
        var contract = AllocatorContract.Custom("Mine", "my_alloc", AllocatorParameters.Size, "my_free", FreeParameters.PointerSize);

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator), contract));
        host.Allocate<double>(2).Dispose();

        Assert.Same(contract, host.Contract);
        Assert.Equal(1, Frees(host));
        Assert.Equal("Mine: my_alloc(i32 size) -> i32, my_free(i32 ptr, i32 size) -> ()", contract.ToString());
    }

    [Fact]
    public void FromText_NoKnownAllocator_ThrowsContractListingTheExports()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(string.Empty, HostModules.Sum))));

        Assert.Contains("AllocatorContract.Custom", ex.Message);
        Assert.Contains("sum(i32, i32) -> f32", ex.Message);
        Assert.Contains("memory (memory)", ex.Message);
    }

    [Fact]
    public void FromText_SeveralKnownAllocators_ThrowsContractNamingThem()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc + HostModules.WasmBindgen))));

        Assert.Contains("WasmBindgen, CMalloc", ex.Message);
    }

    [Fact]
    public void FromText_AllocatorWithTheWrongSignature_ThrowsContractWithExpectedAndFound()
    {
        const string allocator = """
            (func (export "malloc") (param i32 i32) (result i32) (i32.const 0))
            (func (export "free") (param i32))
            """;

        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(allocator))));

        Assert.Contains("'malloc'", ex.Message);
        Assert.Contains("(i32 size) -> i32", ex.Message);
        Assert.Contains("(i32, i32) -> i32", ex.Message);
    }

    [Fact]
    public void FromText_CustomContractMissingItsFree_ThrowsContractNamingIt()
    {
        var contract = AllocatorContract.Custom("Mine", "malloc", AllocatorParameters.Size, "release", FreeParameters.Pointer);

        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc), contract)));

        Assert.Contains("'release'", ex.Message);
        Assert.Contains("does not export it", ex.Message);
    }

    [Fact]
    public void FromText_NoMemoryExport_ThrowsContract()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, memory: "(memory 1)"))));
        Assert.Contains("'memory'", ex.Message);
    }

    [Fact]
    public void FromText_ImportOtherThanWasi_ThrowsContractNamingIt()
    {
        var ex = Assert.Throws<WasmContractException>(() =>
            Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, imports: """(import "env" "log" (func (param i32)))"""))));
        Assert.Contains("env.log", ex.Message);
    }

    [Fact]
    public void FromText_InvalidText_ThrowsWasmSharedMemoryException()
    {
        var ex = Assert.Throws<WasmSharedMemoryException>(() => Track(WasmHost.FromText("(module (func (export \"f\") (result i32)))")));
        Assert.Contains("could not be compiled", ex.Message);
    }

    [Fact]
    public void FromFile_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Track(WasmHost.FromFile(Path.Combine(Path.GetTempPath(), "no-such-module.wasm"))));
    }

    [Fact]
    public void FromBytes_LoadsTheKernelModuleUnderItsOwnContract()
    {
        byte[] wasm = File.ReadAllBytes(ToolchainModules.Path("wasm_shared_memory.simd.wasm"));
        using WasmHost host = Track(WasmHost.FromBytes(wasm));
        using WasmBuffer<float> a = host.Allocate<float>(5);
        a.CopyFrom(new[] { 1f, 2f, 3f, 4f, 5f });

        host.GetAction<int, int, int, int>("multiply_f32")(a.Length, (int)a.Address, (int)a.Address, (int)a.Address);

        Assert.Equal(AllocatorContract.WasmSharedMemory, host.Contract);
        Assert.Equal(new[] { 1f, 4f, 9f, 16f, 25f }, a.ToArray());
    }

    [Fact]
    public void FromFile_CompiledRustWithWasmBindgensAllocator_DetectsWasmBindgenAndSharesBuffers()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("bindgen_style.wasm")));
        using WasmBuffer<float> values = host.Allocate<float>(1000);
        for (int i = 0; i < values.Length; i++) values.Span[i] = i;
        var mean = host.GetFunction<int, int, float>("mean_f32");

        Assert.Equal(AllocatorContract.WasmBindgen, host.Contract);
        Assert.Equal(499.5f, mean((int)values.Address, values.Length));
        values.Dispose();
        using WasmBuffer<float> again = host.Allocate<float>(1000);
        Assert.Equal(1, host.LiveBuffers);
    }

    [Fact]
    public void FromFile_CModuleBuiltWithClangAndWasiLibc_DetectsCMallocAndSharesBuffers()
    {
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.C, options: CModuleTests.Options()));
        using WasmBuffer<float> values = host.Allocate<float>(100);
        for (int i = 0; i < values.Length; i++) values.Span[i] = 0.5f;
        var sum = host.GetFunction<int, int, float>("sum");

        Assert.Equal(AllocatorContract.CMalloc, host.Contract);
        Assert.Equal(50f, sum((int)values.Address, values.Length));

        // wasi-libc's malloc returns 0 when memory cannot grow, so the limit surfaces as out-of-memory.
        WasmHostOptions options = CModuleTests.Options();
        options.MaxMemoryBytes = 1 << 20;
        using WasmHost limited = Track(WasmHost.FromFile(ToolchainModules.C, options: options));
        Assert.Throws<WasmOutOfMemoryException>(() => limited.Allocate<byte>(2 << 20));
        Assert.False(limited.IsFaulted);
        using WasmBuffer<byte> small = limited.Allocate<byte>(1024);
    }

    [Fact]
    public void FromFile_WasmBindgenAllocatorOutOfMemory_TrapsAndFaultsAsWasmBindgenAborts()
    {
        // wasm-bindgen's malloc aborts instead of returning 0, so the failure arrives as a trap.
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.Path("bindgen_style.wasm"), options: new WasmHostOptions { MaxMemoryBytes = 4 << 20 }));

        var ex = Assert.Throws<WasmTrapException>(() => host.Allocate<byte>(8 << 20));

        Assert.Equal("__wbindgen_malloc", ex.ExportName);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void GetFunction_ScalarExtremes_CrossUnchangedOnEitherCallPath()
    {
        const string exports = """
            (func (export "i64") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
            (func (export "i32") (param i32) (result i32) (local.get 0))
            (func (export "f32") (param f32) (result f32) (local.get 0))
            """;
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports)));

        // Values a double cannot hold exactly, so a conversion through double on the way in would show.
        Assert.Equal(long.MaxValue - 1, host.GetFunction<long, long, long>("i64")(long.MaxValue, 1));
        Assert.Equal(long.MinValue + 3, host.GetFunction<long, long, long>("i64")(long.MinValue + 5, 2));
        Assert.Equal(int.MinValue, host.GetFunction<int, int>("i32")(int.MinValue));
        Assert.Equal(float.Epsilon, host.GetFunction<float, float>("f32")(float.Epsilon));
    }

    [Fact]
    public void GetFunction_WrongSignature_ThrowsContractWithExpectedAndFound()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Sum)));

        var ex = Assert.Throws<WasmContractException>(() => host.GetFunction<int, int>("sum"));

        Assert.Contains("(i32) -> i32", ex.Message);
        Assert.Contains("(i32, i32) -> f32", ex.Message);
        Assert.Contains("does not export it", Assert.Throws<WasmContractException>(() => host.GetAction("nope")).Message);
    }

    [Fact]
    public void Export_Trapping_ThrowsTrapNamingItAndFaultsTheHost()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Trap + HostModules.Sum)));
        using WasmBuffer<float> buffer = host.Allocate<float>(1);
        Action trap = host.GetAction("trap");

        var ex = Assert.Throws<WasmTrapException>(trap);

        Assert.Equal("trap", ex.ExportName);
        Assert.IsType<TrapException>(ex.InnerException);
        Assert.True(host.IsFaulted);
        Assert.Throws<WasmModuleFaultedException>(() => host.GetFunction<int, int, float>("sum")(0, 0));
        Assert.Throws<WasmModuleFaultedException>(() => host.Allocate<float>(1));
    }

    [Fact]
    public void Export_AfterHostDispose_ThrowsObjectDisposed()
    {
        WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Sum)));
        var sum = host.GetFunction<int, int, float>("sum");
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sum(0, 0));
        Assert.Throws<ObjectDisposedException>(() => host.GetAction("trap"));
        host.Dispose();
    }

    [Fact]
    public void CallTimeout_RunawayExport_StopsWithTimeoutWithinTwiceTheLimit()
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Spin), options: new WasmHostOptions { CallTimeout = timeout }));
        Action spin = host.GetAction("spin");

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<TimeoutException>(spin);
        watch.Stop();

        Assert.InRange(watch.Elapsed, timeout, timeout * 2);
        Assert.Contains("'spin'", ex.Message);
        Assert.True(host.IsFaulted);
        Assert.Throws<WasmModuleFaultedException>(spin);
    }

    [Fact]
    public void CallTimeout_CallsThatFinishInTime_AreUnaffected()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Sum), options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(5) }));
        using WasmBuffer<float> values = host.Allocate<float>(3);
        values.CopyFrom(new[] { 1f, 2f, 3f });
        var sum = host.GetFunction<int, int, float>("sum");

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(6f, sum((int)values.Address, 3));
        }

        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void CancellationToken_CanceledMidCall_StopsTheExportAndFaultsTheHost()
    {
        // Cancellation tokens need a module compiled with interruption checks.
        using WasmHost host = Track(WasmModule.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Spin), new WasmModuleOptions { Interruptible = true }).InstantiateAndHandOver(null, null));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Action spin = host.GetAction("spin", cancellation.Token);

        var ex = Assert.ThrowsAny<OperationCanceledException>(spin);

        Assert.Equal(cancellation.Token, ex.CancellationToken);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void CancellationToken_CanceledBeforeTheCall_ThrowsWithoutFaulting()
    {
        // Cancellation tokens need a module compiled with interruption checks.
        using WasmHost host = Track(WasmModule.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Spin + HostModules.Sum), new WasmModuleOptions { Interruptible = true }).InstantiateAndHandOver(null, null));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => host.GetAction("spin", cancellation.Token)());

        Assert.False(host.IsFaulted);
        Assert.Equal(0f, host.GetFunction<int, int, float>("sum")(0, 0));
    }

    [Fact]
    public void FuelPerCall_StopsARunawayExportAtTheSameInstructionEveryTime()
    {
        var options = new WasmHostOptions { FuelPerCall = 100_000 };
        long Run()
        {
            using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Spin), options: options));
            var ex = Assert.Throws<WasmTrapException>(host.GetAction("spin"));
            Assert.Equal(TrapCode.OutOfFuel, Assert.IsType<TrapException>(ex.InnerException).Type);
            return (long)host.Guest.Instance.GetGlobal("spins")!.GetValue()!;
        }

        long first = Run();
        Assert.InRange(first, 1, 100_000);
        Assert.Equal(first, Run());
    }

    [Fact]
    public void MaxMemoryBytes_ExportGrowingWithoutBound_StopsAtTheLimit()
    {
        using WasmHost host = Track(WasmHost.FromText(
            HostModules.Module(HostModules.CMalloc, HostModules.GrowForever),
            options: new WasmHostOptions { MaxMemoryBytes = 1 << 20 }));

        int pages = host.GetFunction<int>("grow_forever")();

        Assert.Equal(16, pages);
        Assert.Equal(1 << 20, host.MemoryBytes);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Allocator_ReturningALiveBuffersBlock_ThrowsContractBeforeTwoSpansAlias()
    {
        const string allocator = """
            (func (export "malloc") (param i32) (result i32) (i32.const 1024))
            (func (export "free") (param i32))
            """;
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator)));
        host.Allocate<int>(8).Dispose();
        using WasmBuffer<int> live = host.Allocate<int>(8); // the block was freed, so reuse is fine

        var ex = Assert.Throws<WasmContractException>(() => host.Allocate<byte>(1));

        Assert.Contains("overlaps the live block [0x00000400, 0x00000420)", ex.Message);
        Assert.True(host.IsFaulted);
        Assert.Equal(1, host.LiveBuffers);
    }

    [Fact]
    public void Wasi_ModuleSeesNoEnvironmentUnlessGranted()
    {
        const string imports = """(import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))""";
        const string envCount = """
            (func (export "env_count") (result i32)
              (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
              (i32.load (i32.const 0)))
            """;
        string wat = HostModules.Module(HostModules.CMalloc, envCount, imports: imports);

        using WasmHost closed = Track(WasmHost.FromText(wat));
        var granted = new WasmHostOptions();
        granted.EnvironmentVariables["GREETING"] = "hello";
        using WasmHost open = Track(WasmHost.FromText(wat, options: granted));

        Assert.Equal(0, closed.GetFunction<int>("env_count")());
        Assert.Equal(1, open.GetFunction<int>("env_count")());
    }

    [Fact]
    public void Exports_CalledFromEveryCoreAtOnce_AreSerializedWithNoLostUpdate()
    {
        const int CallsPerThread = 20_000;
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Bump32)));
        using WasmBuffer<int> counter = host.Allocate<int>(1);
        counter.Span[0] = 0;
        Action<int> bump = host.GetAction<int>("bump");
        int threads = Math.Max(2, Environment.ProcessorCount);
        using var start = new Barrier(threads);

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            start.SignalAndWait();
            for (int i = 0; i < CallsPerThread; i++)
            {
                bump((int)counter.Address);
            }
        });

        Assert.Equal(threads * CallsPerThread, counter.Span[0]);
    }

    [Fact]
    public void Options_NonPositiveTimeoutOrUndefinedParameters_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc), options: new WasmHostOptions { CallTimeout = TimeSpan.Zero })));
        Assert.Throws<ArgumentException>(() => AllocatorContract.Custom("x", "a", (AllocatorParameters)7, "f", FreeParameters.Pointer));
        Assert.Throws<ArgumentException>(() => AllocatorContract.Custom("x", string.Empty, AllocatorParameters.Size, "f", FreeParameters.Pointer));
    }


    private static int Frees(WasmHost host) => (int)host.Guest.Instance.GetGlobal("frees")!.GetValue()!;
}
