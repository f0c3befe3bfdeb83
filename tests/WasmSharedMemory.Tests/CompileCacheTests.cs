using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Wasmtime;
using WasmSharedMemory.Internals.Caching;
using WasmSharedMemory.Internals.Engines;
using WasmSharedMemory.Internals.Telemetry;
using WasmSharedMemory.Tests.ChildProcesses;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The compile cache's integrity rules: an entry is used only after it verifies, anything else is recompiled and
/// replaced (never executed), writes are atomic, and concurrent writers (threads and processes) are safe.
/// </summary>
public sealed class CompileCacheTests : LeakCheckedTests
{
    private static readonly EngineProfile s_profile = new(epochs: false, fuel: false);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wsm-cache-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _source = AnswerModule(42);

    /// <summary>A module exporting <c>answer() -> i32</c> that returns <paramref name="value"/>.</summary>
    public static byte[] AnswerModule(int value) =>
        Module.ConvertText($"""(module (func (export "answer") (result i32) (i32.const {value})))""");

    /// <summary>Instantiates <paramref name="module"/> with Wasmtime alone and calls <c>answer</c>.</summary>
    public static int Answer(Engine engine, Module module)
    {
        using var store = new Store(engine);
        var instance = new Instance(store, module);
        return instance.GetFunction<int>("answer")!();
    }

    [Fact]
    public void GetOrCompile_EmptyDirectory_CompilesAndStoresOneVerifiedEntry()
    {
        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Absent, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
        string entry = Assert.Single(Directory.GetFiles(_directory));
        Assert.Equal(EntryPath, entry);
        Assert.True(CacheEntry.TryVerify(File.ReadAllBytes(entry), KeyDigestOf(entry), out _));
    }

    [Fact]
    public void GetOrCompile_SecondLoad_IsAHitThatRuns()
    {
        Get(out _).Dispose();

        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Hit, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
    }

    [Fact]
    public void GetOrCompile_DirectoryDoesNotExistYet_CreatesIt()
    {
        string nested = Path.Combine(_directory, "a", "b");
        var cache = new CompileCache(nested);

        cache.GetOrCompile(s_profile.Engine, s_profile.Key, "answer", _source, out _).Dispose();

        Assert.Single(Directory.GetFiles(nested));
    }

    public static TheoryData<string> Damages => new() { "flip-first-code-byte", "flip-last-code-byte", "flip-digest", "flip-magic", "format-version", "length-field", "append-byte" };

    [Theory]
    [MemberData(nameof(Damages))]
    public void GetOrCompile_CorruptOrTamperedEntry_IsRejectedRecompiledAndReplaced(string damage)
    {
        Get(out _).Dispose();
        byte[] entry = File.ReadAllBytes(EntryPath);
        byte[] original = (byte[])entry.Clone();
        switch (damage)
        {
            case "flip-first-code-byte": entry[CacheEntry.HeaderBytes] ^= 0x01; break;
            case "flip-last-code-byte": entry[^1] ^= 0x80; break;
            case "flip-digest": entry[52] ^= 0xff; break;
            case "flip-magic": entry[0] = (byte)'X'; break;
            case "format-version": entry[8] = 99; break;
            case "length-field": entry[44] ^= 0x04; break;
            case "append-byte": entry = entry.Concat(new byte[] { 0 }).ToArray(); break;
        }

        File.WriteAllBytes(EntryPath, entry);

        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Rejected, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
        Assert.Equal(original, File.ReadAllBytes(EntryPath)); // replaced by a good entry (compiling is deterministic)
        Get(out CacheResult next).Dispose();
        Assert.Equal(CacheResult.Hit, next);
    }

    public static TheoryData<int> TruncatedLengths => new() { 0, 1, 8, 43, CacheEntry.HeaderBytes - 1, CacheEntry.HeaderBytes, CacheEntry.HeaderBytes + 1, -1 };

    [Theory]
    [MemberData(nameof(TruncatedLengths))]
    public void GetOrCompile_TruncatedEntry_IsRejectedAndReplaced(int length)
    {
        Get(out _).Dispose();
        byte[] entry = File.ReadAllBytes(EntryPath);
        File.WriteAllBytes(EntryPath, entry.AsSpan(0, length < 0 ? entry.Length + length : length).ToArray());

        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Rejected, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
        Assert.Equal(entry.Length, new FileInfo(EntryPath).Length);
    }

    [Fact]
    public void GetOrCompile_EntryOfAnotherModuleCopiedUnderThisName_IsForeignAndNeverRuns()
    {
        // A perfectly valid entry, for a module answering 7, placed where the 42 module's entry belongs.
        byte[] other = AnswerModule(7);
        var cache = new CompileCache(_directory);
        cache.GetOrCompile(s_profile.Engine, s_profile.Key, "seven", other, out _).Dispose();
        File.Copy(cache.PathFor(s_profile.Key, other), EntryPath);

        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Rejected, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
    }

    [Fact]
    public void GetOrCompile_AnotherWasmtimeVersionOrEngineSettings_UsesItsOwnEntry()
    {
        var cache = new CompileCache(_directory);
        cache.GetOrCompile(s_profile.Engine, s_profile.Key.Replace("wasmtime=", "wasmtime=0.0.1-other"), "answer", _source, out _).Dispose();
        var epochs = new EngineProfile(epochs: true, fuel: false);
        cache.GetOrCompile(epochs.Engine, epochs.Key, "answer", _source, out _).Dispose();

        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Absent, result);
        Assert.Equal(3, Directory.GetFiles(_directory).Length);
    }

    [Fact]
    public void GetOrCompile_VerifiedEntryThisEngineRefuses_IsIncompatibleAndRecompiled()
    {
        // Code compiled with epoch checks, in a well-formed entry under the key of an engine without them: the
        // digest verifies (it is what was written), and Wasmtime's own check refuses the engine mismatch.
        var epochs = new EngineProfile(epochs: true, fuel: false);
        Directory.CreateDirectory(_directory);
        using (Module foreign = Module.FromBytes(epochs.Engine, "answer", _source))
        {
            File.WriteAllBytes(EntryPath, CacheEntry.Write(KeyDigestOf(EntryPath), foreign.Serialize()));
        }

        using Module module = Get(out CacheResult result);

        Assert.Equal(CacheResult.Incompatible, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
        Get(out CacheResult next).Dispose();
        Assert.Equal(CacheResult.Hit, next);
    }

    [Fact]
    public void GetOrCompile_CacheCannotBeWritten_StillCompiles()
    {
        File.WriteAllText(_directory, "a file where the directory should be");
        try
        {
            using Module module = Get(out CacheResult result);

            Assert.Equal(CacheResult.Absent, result);
            Assert.Equal(42, Answer(s_profile.Engine, module));
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    /// <summary>Directory values that are no path at all; before the fix, <c>Path.GetFullPath</c> threw ArgumentException out of the load.</summary>
    public static TheoryData<string> UnusableDirectories => new() { "", "cache\0directory" };

    [Theory]
    [MemberData(nameof(UnusableDirectories))]
    public void GetOrCompile_DirectoryIsNoUsablePath_CompilesAsUnreadable(string directory)
    {
        using Module module = new CompileCache(directory).GetOrCompile(s_profile.Engine, s_profile.Key, "answer", _source, out CacheResult result);

        Assert.Equal(CacheResult.Unreadable, result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
    }

    [Theory]
    [MemberData(nameof(UnusableDirectories))]
    public void FromFileTextAndBytes_CacheDirectoryIsNoUsablePath_CompileAsWithoutACache(string directory)
    {
        var options = new WasmModuleOptions { CacheDirectory = directory, Name = "unusable-cache-" + Guid.NewGuid().ToString("N") };
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "answer.wasm");
        File.WriteAllBytes(path, _source);
        using var metrics = new MetricsCollector(options.Name);

        using (WasmModule.FromFile(path, options))
        using (WasmModule.FromBytes(_source, options))
        using (WasmModule.FromText("""(module (func (export "answer") (result i32) (i32.const 42)))""", options))
        {
        }

        Assert.Equal(3, metrics.Of("wasmsharedmemory.cache.misses").Count(m => (string?)m.Tags[WasmMetrics.CacheTag] == "unreadable"));
    }

    /// <summary>A FIFO under the entry's name: opening it for reading blocks until something opens it for writing, which before the fix held the load for ever.</summary>
    [LinuxFact("mkfifo(3) makes the FIFO")]
    public void GetOrCompile_EntryIsAFifo_IsRejectedWithoutOpeningIt()
    {
        Directory.CreateDirectory(_directory);
        Assert.Equal(0, MakeFifo(EntryPath, 0x180)); // 0600
        Task<(Module Module, CacheResult Result)> load = Task.Factory.StartNew(
            () => (Get(out CacheResult result), result), TaskCreationOptions.LongRunning);

        bool finished = load.Wait(TimeSpan.FromSeconds(20));
        if (!finished)
        {
            // Let the blocked reader go (it sees the end of the file) so the test does not leave a thread behind.
            using (new FileStream(EntryPath, FileMode.Open, FileAccess.Write))
            {
            }

            load.Wait();
        }

        using Module module = load.Result.Module;
        Assert.True(finished, "The load blocked opening the FIFO under the entry's name.");
        Assert.Equal(CacheResult.Rejected, load.Result.Result);
        Assert.Equal(42, Answer(s_profile.Engine, module));
        Get(out CacheResult next).Dispose();
        Assert.Equal(CacheResult.Hit, next); // the FIFO was replaced by a real entry
    }

    public static TheoryData<string> HugeGarbage => new() { "zeros", "valid-header-then-zeros" };

    /// <summary>A 1 GiB entry (sparse, so it costs no disk); before the fix it was read whole, 1 GiB allocated, before its header was looked at.</summary>
    [Theory]
    [MemberData(nameof(HugeGarbage))]
    public void GetOrCompile_HugeGarbageEntry_IsRejectedAfterReadingOnlyItsHeader(string garbage)
    {
        Directory.CreateDirectory(_directory);
        if (garbage == "valid-header-then-zeros")
        {
            Get(out _).Dispose();
        }

        using (var file = new FileStream(EntryPath, FileMode.OpenOrCreate, FileAccess.Write))
        {
            file.SetLength(1L << 30);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using Module module = Get(out CacheResult result);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(CacheResult.Rejected, result);
        Assert.True(allocated < 64L << 20, $"The load allocated {allocated} bytes for a 1 GiB entry it should refuse from its header.");
        Assert.Equal(42, Answer(s_profile.Engine, module));
        Assert.True(new FileInfo(EntryPath).Length < 1L << 20, "The entry was not replaced.");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [Fact]
    public void GetOrCompile_ManyThreadsFillingOneCache_AllRunAndLeaveOneVerifiedEntry()
    {
        const int Threads = 8;
        using var start = new Barrier(Threads);
        int[] answers = new int[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            var cache = new CompileCache(_directory);
            start.SignalAndWait();
            for (int round = 0; round < 5; round++)
            {
                using Module module = cache.GetOrCompile(s_profile.Engine, s_profile.Key, "answer", _source, out _);
                answers[i] += Answer(s_profile.Engine, module);
                cache.Store(s_profile.Key, _source, module);
            }
        });

        Assert.All(answers, a => Assert.Equal(5 * 42, a));
        string entry = Assert.Single(Directory.GetFiles(_directory)); // no temporary file left behind
        Assert.True(CacheEntry.TryVerify(File.ReadAllBytes(entry), KeyDigestOf(entry), out _));
    }

    [Fact]
    public async Task GetOrCompile_TwoProcessesFillingOneCache_NeitherRunsABadEntry()
    {
        var first = Task.Run(() => ChildProcess.Run("compile-cache", TimeSpan.FromSeconds(120), _directory, "40"));
        var second = Task.Run(() => ChildProcess.Run("compile-cache", TimeSpan.FromSeconds(120), _directory, "40"));
        ChildResult[] children = await Task.WhenAll(first, second);

        foreach (ChildResult child in children)
        {
            child.AssertSucceeded();
            Assert.Equal("0", child.Value("wrong"));
        }

        Assert.True(children.Sum(c => int.Parse(c.Value("hits"))) >= 40, "Each process should mostly load what the other (or it) stored.");
        string entry = Assert.Single(Directory.GetFiles(_directory));
        Assert.True(CacheEntry.TryVerify(File.ReadAllBytes(entry), KeyDigestOf(entry), out _));
    }

    public override void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        base.Dispose();
    }

    private string EntryPath => new CompileCache(_directory).PathFor(s_profile.Key, _source);

    private Module Get(out CacheResult result) => new CompileCache(_directory).GetOrCompile(s_profile.Engine, s_profile.Key, "answer", _source, out result);

    /// <summary>The key digest an entry's file name spells.</summary>
    private static byte[] KeyDigestOf(string path) => Convert.FromHexString(Path.GetFileNameWithoutExtension(path));
}
