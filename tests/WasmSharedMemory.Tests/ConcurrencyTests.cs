using System;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Calling one Wasmtime store from two threads at once panics inside Wasmtime and ends the process; the
/// module serializes its calls so concurrent use is safe.
/// </summary>
public sealed class ConcurrencyTests : LeakCheckedTests
{
    private const int Iterations = 1500;

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public async Task OneModule_HammeredFromEveryCore_NeverCrashesOrLosesAnUpdate(ModuleVariant variant)
    {
        using ISharedMemoryModule module = Load(variant);
        int workers = Math.Max(2, Environment.ProcessorCount);
        using var start = new Barrier(workers);
        int wrongResults = 0;

        Task[] tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            int worker = w;
            tasks[w] = Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    for (int i = 0; i < Iterations; i++)
                    {
                        int length = 1 + ((i * 37 + worker * 101) % 700);
                        using WasmBuffer<int> a = module.Allocate<int>(length);
                        using WasmBuffer<int> b = module.Allocate<int>(length);
                        a.Span.Fill(worker + 1);
                        b.Span.Fill(i);
                        module.Multiply(a, b, a);
                        if (a.Span.IndexOfAnyExcept((worker + 1) * i) >= 0 || b.Span.IndexOfAnyExcept(i) >= 0)
                        {
                            Interlocked.Increment(ref wrongResults);
                        }
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        await Task.WhenAll(tasks);

        Assert.Equal(0, wrongResults);
        Assert.Equal(0, module.LiveBuffers);
        Assert.Equal(0, module.LiveBytes);
        Assert.False(module.IsFaulted);
    }

    [Fact]
    public async Task DisposingTheModuleWhileAnotherThreadAllocates_GivesObjectDisposedNeverACrash()
    {
        for (int round = 0; round < 20; round++)
        {
            ISharedMemoryModule module = Load();
            using var started = new ManualResetEventSlim();
            var worker = Task.Factory.StartNew(
                () =>
                {
                    started.Set();
                    while (true)
                    {
                        try
                        {
                            module.Allocate<float>(64).Dispose();
                        }
                        catch (ObjectDisposedException)
                        {
                            return;
                        }
                    }
                },
                TaskCreationOptions.LongRunning);

            started.Wait();
            Thread.Sleep(1);
            module.Dispose();
            await worker.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, module.LiveBuffers);
        }
    }
}
