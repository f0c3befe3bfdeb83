using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmHostPool"/>: leases, what a returned host becomes under each <see cref="WasmHostReuse"/>,
/// faulted hosts never handed out again, waiting and canceled rents, disposal with leases out, and contention.
/// </summary>
public sealed class WasmHostPoolTests : LeakCheckedTests
{
    /// <summary><c>bump(x) -> i32</c> counts its calls in a global and returns the count; <c>bump(0)</c> traps.</summary>
    public static readonly string CountingModule = $$"""
        (module
          (memory (export "memory") 1)
          (global $next (mut i32) (i32.const 1024))
          (global $frees (mut i32) (i32.const 0))
          (global $count (mut i32) (i32.const 0))
          {{HostModules.CMalloc}}
          (func (export "bump") (param $x i32) (result i32)
            (if (i32.eqz (local.get $x)) (then unreachable))
            (global.set $count (i32.add (global.get $count) (i32.const 1)))
            (global.get $count)))
        """;

    /// <summary><c>call_back()</c> calls the host function <c>env.callback</c>.</summary>
    private static readonly string CallbackModule = HostModules.Module(
        HostModules.CMalloc,
        """(func (export "call_back") (call $callback))""",
        imports: """(import "env" "callback" (func $callback))""");

    private int _created;

    [Fact]
    public void Rent_GivesALeaseWhoseHostCalls()
    {
        using WasmHostPool pool = Pool(2);
        using WasmHostLease lease = pool.Rent();

        Assert.Equal(1, Bump(lease.Host));
        Assert.Equal(1, pool.LeasedHosts);
    }

    [Fact]
    public void Return_ReuseNever_DisposesTheHostAndTheNextLeaseStartsFresh()
    {
        using WasmHostPool pool = Pool(1, WasmHostReuse.Never);
        WasmHost first;
        using (WasmHostLease lease = pool.Rent())
        {
            first = lease.Host;
            Bump(first);
            Bump(first);
        }

        using WasmHostLease next = pool.Rent();

        Assert.NotSame(first, next.Host);
        Assert.Equal(1, Bump(next.Host)); // no state carried over
        Assert.Throws<ObjectDisposedException>(() => Bump(first));
        Assert.Equal(0, pool.IdleHosts);
    }

    [Fact]
    public void Return_ReuseWhenClean_KeepsTheHostAndItsState()
    {
        using WasmHostPool pool = Pool(1, WasmHostReuse.WhenClean);
        WasmHost first;
        using (WasmHostLease lease = pool.Rent())
        {
            first = lease.Host;
            Bump(first);
        }

        Assert.Equal(1, pool.IdleHosts);
        using WasmHostLease next = pool.Rent();

        Assert.Same(first, next.Host);
        Assert.Equal(2, Bump(next.Host));
        Assert.Equal(1, _created);
    }

    [Fact]
    public void Return_WithBuffersStillAlive_DisposesTheHostEvenWhenReusing()
    {
        using WasmHostPool pool = Pool(1, WasmHostReuse.WhenClean);
        WasmBuffer<float> leaked;
        WasmHost first;
        using (WasmHostLease lease = pool.Rent())
        {
            first = lease.Host;
            leaked = first.Allocate<float>(16);
        }

        Assert.True(leaked.IsDisposed); // its memory is gone with the host, so it cannot reach the next lease's
        Assert.Throws<ObjectDisposedException>(() => leaked.ToArray());
        leaked.Dispose();
        using WasmHostLease next = pool.Rent();
        Assert.NotSame(first, next.Host);
    }

    [Theory]
    [InlineData(WasmHostReuse.Never)]
    [InlineData(WasmHostReuse.WhenClean)]
    public void Return_FaultedHost_IsDisposedAndNeverHandedOutAgain(WasmHostReuse reuse)
    {
        using WasmHostPool pool = Pool(1, reuse);
        WasmHost faulted;
        using (WasmHostLease lease = pool.Rent())
        {
            faulted = lease.Host;
            Assert.Throws<WasmTrapException>(() => lease.Host.GetFunction<int, int>("bump")(0));
            Assert.True(faulted.IsFaulted);
        }

        using WasmHostLease next = pool.Rent();

        Assert.NotSame(faulted, next.Host);
        Assert.False(next.Host.IsFaulted);
        Assert.Equal(1, Bump(next.Host));
        Assert.True(faulted.Guest.IsDisposed);
    }

    [Fact]
    public void Lease_UsedAfterReturn_ThrowsObjectDisposed()
    {
        using WasmHostPool pool = Pool(1);
        WasmHostLease lease = pool.Rent();
        lease.Dispose();

        Assert.Throws<ObjectDisposedException>(() => lease.Host);
    }

    [Fact]
    public void Lease_DisposedTwice_ReturnsTheHostOnce()
    {
        using WasmHostPool pool = Pool(1, WasmHostReuse.WhenClean);
        WasmHostLease lease = pool.Rent();
        lease.Dispose();
        lease.Dispose();

        using WasmHostLease only = pool.Rent();
        // A second return would have freed a second slot: a rent would then succeed instead of waiting.
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => pool.Rent(soon.Token));
        Assert.Equal(1, pool.LeasedHosts);
    }

    [Fact]
    public async Task Rent_AllLeased_WaitsUntilOneIsReturned()
    {
        using WasmHostPool pool = Pool(1);
        WasmHostLease first = pool.Rent();
        using var rented = new ManualResetEventSlim();
        var waiter = Task.Run(() =>
        {
            using WasmHostLease second = pool.Rent();
            rented.Set();
            return Bump(second.Host);
        });

        Assert.False(rented.Wait(100));
        first.Dispose();

        Assert.Equal(1, await waiter.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Rent_WaitingAndCanceled_ThrowsOperationCanceledAndKeepsNoSlot()
    {
        using WasmHostPool pool = Pool(1);
        WasmHostLease held = pool.Rent();
        using var cancel = new CancellationTokenSource();
        var waiter = Task.Run(() => pool.Rent(cancel.Token));
        Thread.Sleep(50);
        cancel.Cancel();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        held.Dispose();
        using WasmHostLease next = pool.Rent(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(1, pool.LeasedHosts);
    }

    [Fact]
    public async Task RentAsync_WaitingAndCanceled_ThrowsOperationCanceled()
    {
        using WasmHostPool pool = Pool(1);
        using WasmHostLease held = await pool.RentAsync();
        using var cancel = new CancellationTokenSource();
        Task<WasmHostLease> waiter = pool.RentAsync(cancel.Token);
        Assert.False(waiter.IsCompleted);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }

    [Fact]
    public async Task RentAsync_AllLeased_CompletesWhenOneIsReturned()
    {
        using WasmHostPool pool = Pool(1);
        WasmHostLease held = await pool.RentAsync();
        Task<WasmHostLease> waiter = pool.RentAsync();
        Assert.False(waiter.IsCompleted);

        held.Dispose();

        using WasmHostLease lease = await waiter.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, Bump(lease.Host));
    }

    [Fact]
    public async Task RentAsync_FailsInTheTask_NotWhenCalled()
    {
        int attempts = 0;
        var pool = new WasmHostPool(() => ++attempts == 1 ? throw new WasmSharedMemoryException("instantiation failed") : Create(), 1, WasmHostReuse.Never);

        Task<WasmHostLease> failed = pool.RentAsync();
        Task<WasmHostLease> canceled = pool.RentAsync(new CancellationToken(canceled: true));

        await Assert.ThrowsAsync<WasmSharedMemoryException>(() => failed);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        using (WasmHostLease lease = await pool.RentAsync())
        {
            Assert.Equal(1, Bump(lease.Host)); // the failed instantiation gave its slot back
        }

        pool.Dispose();
        Task<WasmHostLease> afterDispose = pool.RentAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => afterDispose);
    }

    [Fact]
    public void Rent_CanceledTokenWithAFreeHost_ThrowsWithoutTakingIt()
    {
        using WasmHostPool pool = Pool(1);

        Assert.ThrowsAny<OperationCanceledException>(() => pool.Rent(new CancellationToken(canceled: true)));
        Assert.Equal(0, pool.LeasedHosts);
        Assert.Equal(0, _created);
    }

    [Fact]
    public async Task Dispose_WithLeasesOut_LetsThemFinishWakesWaitersAndRefusesNewRents()
    {
        WasmHostPool pool = Pool(2, WasmHostReuse.WhenClean);
        WasmHostLease kept = pool.Rent();
        pool.Rent().Dispose(); // one idle host
        WasmHostLease second = pool.Rent();
        Task<WasmHostLease> asyncWaiter = pool.RentAsync();
        var syncWaiter = Task.Run(() => pool.Rent());
        Thread.Sleep(50);

        pool.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => asyncWaiter.WaitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => syncWaiter.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.RentAsync());
        Assert.Equal(1, Bump(kept.Host)); // still usable until returned
        WasmHost host = kept.Host;
        kept.Dispose();
        second.Dispose();
        Assert.True(host.Guest.IsDisposed); // returned into a disposed pool: disposed, not kept
        Assert.Equal(0, pool.IdleHosts);
        pool.Dispose(); // twice: no-op
    }

    [Fact]
    public void Rent_InstantiationFails_ThrowsAndFreesTheSlot()
    {
        int attempts = 0;
        using var pool = new WasmHostPool(
            () => ++attempts == 1 ? throw new WasmSharedMemoryException("instantiation failed") : Create(),
            maxHosts: 1,
            WasmHostReuse.Never);

        Assert.Throws<WasmSharedMemoryException>(() => pool.Rent());
        using WasmHostLease lease = pool.Rent(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(1, Bump(lease.Host));
    }

    /// <summary>
    /// Issue 27, class 14: every exception <see cref="WasmHostPool.Rent"/> documents for a failed instantiation, from
    /// the real instantiation, and each leaves the slot free: the next rent fails the same way instead of waiting.
    /// </summary>
    [Theory]
    [InlineData("start function past CallTimeout", typeof(TimeoutException))]
    [InlineData("LoadCancellationToken canceled", typeof(OperationCanceledException))]
    [InlineData("MaxMemoryBytes below the initial memory", typeof(ArgumentOutOfRangeException))]
    [InlineData("module disposed", typeof(ObjectDisposedException))]
    [InlineData("_initialize past CallTimeout", typeof(WasmSharedMemoryException))]
    public async Task Rent_InstantiationFailingEachDocumentedWay_ThrowsThatAndFreesTheSlot(string failure, Type expected)
    {
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        var options = new WasmHostOptions();
        string text = CallLimitsModule.Text;
        var init = CallLimitsModule.InitWork.Nothing;
        switch (failure)
        {
            case "start function past CallTimeout":
                text = System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Modules", "start_spins.wat"));
                options.CallTimeout = TimeSpan.FromMilliseconds(50);
                break;
            case "LoadCancellationToken canceled":
                options.LoadCancellationToken = canceled.Token;
                break;
            case "MaxMemoryBytes below the initial memory":
                options.MaxMemoryBytes = 1;
                break;
            case "_initialize past CallTimeout":
                options.CallTimeout = TimeSpan.FromMilliseconds(50);
                init = CallLimitsModule.InitWork.Spin;
                break;
        }

        CallLimitsModule.Define(options, () => throw new InvalidOperationException("no nested calls here"), () => default, init);
        var module = WasmModule.FromText(text, new WasmModuleOptions { Interruptible = true });
        using var pool = new WasmHostPool(module, maxHosts: 1, options);
        if (failure == "module disposed")
        {
            module.Dispose();
        }

        try
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                // Off the test's thread with a deadline: a slot kept by the first failure would make the second rent wait.
                Exception? thrown = await Task.Run(() => Record.Exception(() => pool.Rent())).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(thrown);
                Assert.True(expected == typeof(WasmSharedMemoryException) ? thrown.GetType() == expected : expected.IsInstanceOfType(thrown), $"attempt {attempt}: {thrown}");
            }

            Assert.Equal(0, pool.LeasedHosts);
        }
        finally
        {
            module.Dispose();
        }
    }

    [Fact]
    public void Constructor_NoHosts_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WasmHostPool(Create, 0, WasmHostReuse.Never));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WasmHostPool(Create, 1, (WasmHostReuse)7));
    }

    [Theory]
    [InlineData(WasmHostReuse.Never)]
    [InlineData(WasmHostReuse.WhenClean)]
    public void Rent_ManyThreadsWithFaults_NeverHandsOutAFaultedHostOrMoreThanMaxHosts(WasmHostReuse reuse)
    {
        const int Threads = 6, MaxHosts = 3, Rounds = 60;
        using WasmHostPool pool = Pool(MaxHosts, reuse);
        int inUse = 0, maxInUse = 0, faults = 0, faultedHandedOut = 0;
        var seen = new ConcurrentDictionary<WasmHost, bool>();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < Rounds; i++)
            {
                using WasmHostLease lease = random.Next(2) == 0 ? pool.Rent() : pool.RentAsync().GetAwaiter().GetResult();
                int now = Interlocked.Increment(ref inUse);
                InterlockedMax(ref maxInUse, now);
                if (lease.Host.IsFaulted || (seen.TryGetValue(lease.Host, out bool faulted) && faulted))
                {
                    Interlocked.Increment(ref faultedHandedOut);
                }

                bool trap = random.Next(10) == 0;
                try
                {
                    Assert.True(lease.Host.GetFunction<int, int>("bump")(trap ? 0 : 1) >= 1);
                    Assert.False(trap);
                }
                catch (WasmTrapException)
                {
                    Interlocked.Increment(ref faults);
                    seen[lease.Host] = true;
                }

                Interlocked.Decrement(ref inUse);
            }
        });

        Assert.Equal(0, faultedHandedOut);
        Assert.InRange(maxInUse, 1, MaxHosts);
        Assert.True(faults > 0);
        Assert.Equal(0, pool.LeasedHosts);
        if (reuse == WasmHostReuse.WhenClean)
        {
            Assert.InRange(_created, 1, MaxHosts + faults); // a host is replaced only when it faulted
        }
        else
        {
            Assert.Equal(Threads * Rounds, _created);
        }
    }

    [Theory]
    [InlineData(WasmHostReuse.Never)]
    [InlineData(WasmHostReuse.WhenClean)]
    public void Lease_ReturnedFromAHostFunctionInsideItsOwnCall_IsRefusedAndStaysOutUntilTheCallEnds(WasmHostReuse reuse)
    {
        WasmHostLease? lease = null;
        Exception? refused = null;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "callback", () =>
        {
            try
            {
                lease!.Dispose();
            }
            catch (Exception ex)
            {
                refused = ex;
            }
        });
        using var pool = new WasmHostPool(() => Create(CallbackModule, options), 1, reuse);
        lease = pool.Rent();
        WasmHost host = lease.Host;

        host.GetAction("call_back")();

        // Returned mid-call, the host would either go idle while still running (WhenClean) or fail to be disposed
        // after the lease had let go of it, freeing a slot while the host lived on (Never).
        Assert.IsType<InvalidOperationException>(refused);
        Assert.Same(host, lease.Host);
        Assert.Equal(1, pool.LeasedHosts);
        Assert.False(host.IsFaulted);
        lease.Dispose();
        Assert.Equal(0, pool.LeasedHosts);
        Assert.Equal(reuse == WasmHostReuse.Never, host.Guest.IsDisposed);
        Assert.Equal(1, _created);
    }

    /// <summary>What a tenant of tenant.wat does before returning its lease.</summary>
    public static TheoryData<string> StateThePoolCannotVouchFor => new() { "grow-memory", "set-table-slot", "grow-table" };

    /// <summary>Before the fix each of these hosts went back to the idle set and served the next lease as it was left.</summary>
    [Theory]
    [MemberData(nameof(StateThePoolCannotVouchFor))]
    public void Return_ReuseWhenClean_HostLeftChanged_IsDisposedAndReplaced(string change)
    {
        using WasmModule module = WasmModule.FromText(ToolchainModules.Wat("tenant.wat"));
        using var pool = new WasmHostPool(module, maxHosts: 1, reuse: WasmHostReuse.WhenClean);
        WasmHost first;
        using (WasmHostLease lease = pool.Rent())
        {
            first = lease.Host;
            switch (change)
            {
                case "grow-memory": Assert.Equal(1, first.GetFunction<int, int>("grow")(1)); break;
                case "set-table-slot": first.GetAction<int>("table_set")(0); break;
                case "grow-table": Assert.Equal(2, first.GetFunction<int, int>("table_grow")(1)); break;
            }
        }

        Assert.Equal(0, pool.IdleHosts);
        Assert.Throws<ObjectDisposedException>(() => first.GetFunction<int, int>("call_slot")(0));
        using WasmHostLease next = pool.Rent();
        Assert.NotSame(first, next.Host);
        Assert.Equal((65536L, 1), (next.Host.MemoryBytes, next.Host.GetFunction<int, int>("call_slot")(0)));
    }

    /// <summary>What the docs say carries over: globals and linear memory's contents, and memory grown back to nothing new.</summary>
    [Fact]
    public void Return_ReuseWhenClean_GlobalsAndMemoryContentsCarryOver()
    {
        using WasmModule module = WasmModule.FromText(ToolchainModules.Wat("tenant.wat"));
        using var pool = new WasmHostPool(module, maxHosts: 1, reuse: WasmHostReuse.WhenClean);
        WasmHost first;
        using (WasmHostLease lease = pool.Rent())
        {
            first = lease.Host;
            first.GetAction("bump")();
            first.Memory.GetSpan<byte>(2000, 1)[0] = 7;
        }

        using WasmHostLease next = pool.Rent();
        Assert.Same(first, next.Host);
        Assert.Equal(7, next.Host.Memory.GetSpan<byte>(2000, 1)[0]);
    }

    /// <summary>A descriptor a tenant opened and left open; before the fix it stayed open, at its number, for the next tenant.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Return_ReuseWhenClean_FileLeftOpen_IsReplacedAndAFileClosedAgainIsNot(bool leftOpen)
    {
        string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsm-tenant-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "a.txt"), "tenant data");
            var options = new WasmHostOptions();
            options.PreopenedDirectories["/data"] = directory;
            using WasmModule module = WasmModule.FromText(ToolchainModules.Wat("tenant_files.wat"));
            using var pool = new WasmHostPool(module, maxHosts: 1, options, WasmHostReuse.WhenClean);
            WasmHost first;
            using (WasmHostLease lease = pool.Rent())
            {
                first = lease.Host;
                int fd = first.GetFunction<int>("open_file")();
                Assert.True(fd > 3, $"path_open failed: {fd}");
                if (!leftOpen)
                {
                    Assert.Equal(0, first.GetFunction<int, int>("close_fd")(fd));
                }
            }

            using WasmHostLease next = pool.Rent();
            Assert.Equal(!leftOpen, ReferenceEquals(first, next.Host));
            int again = next.Host.GetFunction<int>("open_file")();
            Assert.Equal(0, next.Host.GetFunction<int, int>("close_fd")(again));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static int Bump(WasmHost host) => host.GetFunction<int, int>("bump")(1);

    private WasmHostPool Pool(int maxHosts, WasmHostReuse reuse = WasmHostReuse.Never) => new(Create, maxHosts, reuse);

    private WasmHost Create() => Create(CountingModule, options: null);

    private WasmHost Create(string module, WasmHostOptions? options)
    {
        Interlocked.Increment(ref _created);
        return Track(WasmHost.FromText(module, options: options));
    }
}
