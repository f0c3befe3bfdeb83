using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmModule"/>: compile once, instantiate many; lifetime; checks made once; the compile cache through
/// <see cref="WasmModuleOptions.CacheDirectory"/>; and interruption only when asked for, refused where it cannot hold.
/// </summary>
public sealed class WasmModuleTests : LeakCheckedTests
{
    private static readonly string s_counting = WasmHostPoolTests.CountingModule;
    private static readonly string s_spin = HostModules.Module(HostModules.CMalloc, HostModules.Spin);

    [Fact]
    public void Instantiate_TwiceFromOneCompile_GivesIndependentHosts()
    {
        using WasmModule module = WasmModule.FromText(s_counting);
        using WasmHost first = Track(module.Instantiate());
        using WasmHost second = Track(module.Instantiate());

        Assert.Equal(1, Bump(first));
        Assert.Equal(2, Bump(first));
        Assert.Equal(1, Bump(second));
        Assert.Equal("CMalloc", second.Contract.Name);
    }

    [Fact]
    public void Instantiate_FromManyThreadsAtOnce_EveryHostWorks()
    {
        using WasmModule module = WasmModule.FromText(s_counting);
        int total = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int i = 0; i < 25; i++)
            {
                using WasmHost host = Track(module.Instantiate());
                Interlocked.Add(ref total, Bump(host));
            }
        });

        Assert.Equal(100, total);
    }

    [Fact]
    public void Dispose_WithHostsAlive_LeavesThemWorkingAndRefusesNewOnes()
    {
        WasmModule module = WasmModule.FromText(s_counting);
        using WasmHost host = Track(module.Instantiate());

        module.Dispose();
        module.Dispose();

        Assert.Equal(1, Bump(host));
        Assert.Throws<ObjectDisposedException>(() => module.Instantiate());
    }

    [Fact]
    public void Instantiate_NoRecognizableAllocator_ThrowsEveryTimeAndAnExplicitContractWorks()
    {
        using WasmModule module = WasmModule.FromText(HostModules.Module("(func (export \"grab\") (param $size i32) (result i32) " + HostModules.Bump + ") (func (export \"release\") (param i32))"));

        Assert.Throws<WasmContractException>(() => module.Instantiate());
        Assert.Throws<WasmContractException>(() => module.Instantiate());
        using WasmHost host = Track(module.Instantiate(AllocatorContract.Custom("grabber", "grab", AllocatorParameters.Size, "release", FreeParameters.Pointer)));
        using WasmBuffer<int> buffer = host.Allocate<int>(4);
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void FromText_Invalid_ThrowsWasmSharedMemoryException()
    {
        Assert.Throws<WasmSharedMemoryException>(() => WasmModule.FromText("(module (func (export \"f\") (result i32)))"));
        Assert.Throws<WasmSharedMemoryException>(() => WasmModule.FromText("(module"));
        Assert.Throws<WasmSharedMemoryException>(() => WasmModule.FromBytes(new byte[] { 0, 1, 2, 3 }));
    }

    [Fact]
    public void FromFile_Missing_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => WasmModule.FromFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".wasm")));
        Assert.Throws<ArgumentNullException>(() => WasmModule.FromFile(null!));
    }

    [Fact]
    public void Name_IsTheFileNameUnlessOptionsNameIt()
    {
        string path = WriteTemp(Wasmtime.Module.ConvertText(s_counting));
        try
        {
            using WasmModule byFile = WasmModule.FromFile(path);
            using WasmModule named = WasmModule.FromFile(path, new WasmModuleOptions { Name = "thumbnails" });
            using WasmModule fromText = WasmModule.FromText(s_counting);

            Assert.Equal(Path.GetFileNameWithoutExtension(path), byFile.Name);
            Assert.Equal("thumbnails", named.Name);
            Assert.Equal("module", fromText.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromFile_WithCacheDirectory_SecondLoadComesFromTheCacheAndRuns()
    {
        string path = WriteTemp(Wasmtime.Module.ConvertText(s_counting));
        string cache = Path.Combine(Path.GetTempPath(), "wsm-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new WasmModuleOptions { CacheDirectory = cache, Name = "cached-" + Guid.NewGuid().ToString("N") };
            using var metrics = new MetricsCollector(options.Name);
            WasmModule.FromFile(path, options).Dispose();

            using WasmModule module = WasmModule.FromFile(path, options);
            using WasmHost host = Track(module.Instantiate());

            Assert.Equal(1, Bump(host));
            Assert.Single(Directory.GetFiles(cache));
            Assert.Equal(1, metrics.Sum("wasmsharedmemory.cache.misses"));
            Assert.Equal(1, metrics.Sum("wasmsharedmemory.cache.hits"));
        }
        finally
        {
            File.Delete(path);
            Directory.Delete(cache, recursive: true);
        }
    }

    public static TheoryData<string> RefusedWithoutInterruption => new() { "CallTimeout", "LoadCancellationToken", "FuelPerCall" };

    [Theory]
    [MemberData(nameof(RefusedWithoutInterruption))]
    public void Instantiate_OptionsTheModuleWasNotCompiledFor_ThrowsNamingTheFix(string option)
    {
        using WasmModule module = WasmModule.FromText(s_spin);
        using var cancellation = new CancellationTokenSource();
        var options = option switch
        {
            "CallTimeout" => new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(1) },
            "LoadCancellationToken" => new WasmHostOptions { LoadCancellationToken = cancellation.Token },
            _ => new WasmHostOptions { FuelPerCall = 1000 },
        };

        var ex = Assert.Throws<ArgumentException>(() => module.Instantiate(options: options));

        Assert.Contains(option, ex.Message);
        Assert.Contains(option == "FuelPerCall" ? "FuelMetered = true" : "Interruptible = true", ex.Message);
        Assert.Throws<ArgumentException>(() => new WasmHostPool(module, 1, options));
    }

    [Fact]
    public void Instantiate_FuelMeteredModuleWithoutFuelPerCall_Throws()
    {
        using WasmModule module = WasmModule.FromText(s_spin, new WasmModuleOptions { FuelMetered = true });

        Assert.Throws<ArgumentException>(() => module.Instantiate());
        Assert.Throws<ArgumentException>(() => module.Instantiate(options: new WasmHostOptions()));
        using WasmHost host = Track(module.Instantiate(options: new WasmHostOptions { FuelPerCall = 100_000 }));
        Assert.Throws<WasmTrapException>(host.GetAction("spin"));
    }

    [Fact]
    public void GetAction_CancellationTokenOnAHostWithoutInterruption_ThrowsWhereTheTokenIsGiven()
    {
        using WasmModule module = WasmModule.FromText(s_spin);
        using WasmHost host = Track(module.Instantiate());
        using var cancellation = new CancellationTokenSource();

        var ex = Assert.Throws<NotSupportedException>(() => host.GetAction("spin", cancellation.Token));

        Assert.Contains("'spin'", ex.Message);
        Assert.Contains("Interruptible = true", ex.Message);
        host.GetAction("spin", CancellationToken.None); // a token that can never cancel asks for nothing
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void FromText_ShortcutWithoutLimits_CompilesWithoutInterruptionAndRefusesATokenOnItsExports()
    {
        using WasmHost plain = Track(WasmHost.FromText(s_spin));
        using var cancellation = new CancellationTokenSource();

        Assert.False(plain.Guest.IsInterruptible);
        Assert.Throws<NotSupportedException>(() => plain.GetAction("spin", cancellation.Token));
    }

    [Fact]
    public void FromText_ShortcutWithACallTimeout_IsInterruptibleSoItsTokensWork()
    {
        using WasmHost host = Track(WasmHost.FromText(s_spin, options: new WasmHostOptions { CallTimeout = TimeSpan.FromMinutes(5) }));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.True(host.Guest.IsInterruptible);
        Assert.ThrowsAny<OperationCanceledException>(host.GetAction("spin", cancellation.Token));
    }

    [Fact]
    public void Instantiate_InterruptibleModule_HonorsCallTimeoutAndTokens()
    {
        using WasmModule module = WasmModule.FromText(s_spin, new WasmModuleOptions { Interruptible = true });
        using WasmHost timed = Track(module.Instantiate(options: new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(50) }));
        using WasmHost plain = Track(module.Instantiate());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.Throws<TimeoutException>(timed.GetAction("spin"));
        Assert.ThrowsAny<OperationCanceledException>(plain.GetAction("spin", cancellation.Token));
        Assert.True(module.Interruptible);
    }

    [Fact]
    public void Pool_OverAModule_RentsHostsOfIt()
    {
        using WasmModule module = WasmModule.FromText(s_counting);
        using var pool = new WasmHostPool(module, maxHosts: 2, reuse: WasmHostReuse.WhenClean);
        WasmHost first;
        using (WasmHostLease lease = pool.Rent())
        {
            first = Track(lease.Host);
            Assert.Equal(1, Bump(lease.Host));
        }

        using WasmHostLease again = pool.Rent();
        Assert.Same(first, again.Host);
        Assert.Equal(2, Bump(again.Host));
        Assert.Throws<ArgumentNullException>(() => new WasmHostPool(null!, 1));
    }

    [Fact]
    public void Instantiate_WasiModule_EachHostSeesOnlyItsOwnGrantsThoughTheyShareALinker()
    {
        string wasi = HostModules.Module(
            HostModules.CMalloc,
            """
            (func (export "env_count") (result i32)
              (drop (call $environ_sizes_get (i32.const 512) (i32.const 516)))
              (i32.load (i32.const 512)))
            """,
            imports: """(import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))""");
        using WasmModule module = WasmModule.FromText(wasi);
        var one = new WasmHostOptions();
        one.EnvironmentVariables["A"] = "1";
        var two = new WasmHostOptions();
        two.EnvironmentVariables["A"] = "1";
        two.EnvironmentVariables["B"] = "2";

        using WasmHost first = Track(module.Instantiate(options: one));
        using WasmHost second = Track(module.Instantiate(options: two));
        using WasmHost none = Track(module.Instantiate());

        Assert.Equal(1, first.GetFunction<int>("env_count")());
        Assert.Equal(2, second.GetFunction<int>("env_count")());
        Assert.Equal(0, none.GetFunction<int>("env_count")());
    }

    private static int Bump(WasmHost host) => host.GetFunction<int, int>("bump")(1);

    private static string WriteTemp(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "wsm-" + Guid.NewGuid().ToString("N") + ".wasm");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
