using System;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// Published modules served by a <see cref="WasmHostPool"/> of two hosts to two threads at once, each thread's
/// results equal to Node's on the same input: two minified Emscripten builds whose allocator needs
/// <see cref="AllocatorContract.Custom"/> (so the pool takes the contract) and a wasm-bindgen crate.
/// </summary>
public sealed class CorpusPoolTests : LeakCheckedTests
{
    private const int Rounds = 3;

    [Fact]
    public void Argon2_PoolOfTwoFromTwoThreads_EqualsNode()
    {
        byte[][] passwords = { Encoding.UTF8.GetBytes("first password"), Encoding.UTF8.GetBytes("second password") };
        byte[][] expected = Array.ConvertAll(passwords, p => NodeReference.Run("argon2-browser.mjs", Argon2WasmTests.Arguments(time: 1, memoryKiB: 32768), p));

        using WasmModule module = WasmModule.FromFile(PublishedModules.Path("argon2-browser"));
        using var pool = new WasmHostPool(module, 2, Argon2WasmTests.Options(), contract: Argon2Wasm.Contract);
        RunOnTwoThreads(pool, (host, thread) =>
        {
            new Argon2Wasm(host).CallConstructors();
            Assert.Equal(expected[thread], Argon2WasmTests.Hash(host, passwords[thread], time: 1, memoryKiB: 32768));
        });
    }

    [Fact]
    public void ZstdWasm_PoolOfTwoFromTwoThreads_EqualsNode()
    {
        byte[][] inputs = { CorpusInput.Text(3 << 20, 31), CorpusInput.Text(2 << 20, 32) };
        byte[][] expected = Array.ConvertAll(inputs, i => NodeReference.Run("zstd-wasm.mjs", new[] { "compress", "--level", "3" }, i));

        var options = new WasmHostOptions();
        ZstdWasm.DefineImports(options.Imports);
        using WasmModule module = WasmModule.FromFile(PublishedModules.Path("zstd-wasm"));
        using var pool = new WasmHostPool(module, 2, options, contract: ZstdWasm.Contract);
        RunOnTwoThreads(pool, (host, thread) =>
        {
            new ZstdWasm(host).CallConstructors();
            Assert.Equal(expected[thread], ZstdWasmTests.Compress(host, inputs[thread]));
        });
    }

    [Fact]
    public void FarmHash_PoolOfTwoFromTwoThreads_EqualsNode()
    {
        byte[][] inputs = { CorpusInput.Text(4 << 20, 33), CorpusInput.Text(5 << 20, 34) };
        string[] expected = Array.ConvertAll(inputs, i => NodeReference.RunText("farmhash-modern.mjs", new[] { "fingerprint64" }, i));

        using WasmModule module = WasmModule.FromFile(PublishedModules.Path("farmhash-modern"));
        using var pool = new WasmHostPool(module, 2, FarmHash.Options());
        RunOnTwoThreads(pool, (host, thread) =>
            Assert.Equal(expected[thread], ((ulong)new FarmHash(host).Fingerprint64(inputs[thread])).ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Two threads, each renting a host for every round and checking its own input's result; in the first round both
    /// hold their lease before either works, so the pool's two hosts serve them side by side.
    /// </summary>
    private static void RunOnTwoThreads(WasmHostPool pool, Action<WasmHost, int> work)
    {
        using var bothLeased = new Barrier(2);
        Task[] threads = Array.ConvertAll(new[] { 0, 1 }, thread => Task.Factory.StartNew(() =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                using WasmHostLease lease = pool.Rent();
                if (round == 0 && !bothLeased.SignalAndWait(TimeSpan.FromMinutes(1)))
                {
                    throw new TimeoutException("the other thread did not get a host of the pool of two within a minute");
                }

                work(lease.Host, thread);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        Assert.True(Task.WaitAll(threads, TimeSpan.FromMinutes(3)), "the two threads did not finish in 3 minutes");
        Assert.Equal(0, pool.LeasedHosts);
    }
}
