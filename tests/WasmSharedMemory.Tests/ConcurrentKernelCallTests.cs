using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Parallel;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Kernel calls from several threads on a parallel module: while one thread's call holds the module's own instance,
/// another's runs whole on an idle worker's instance over the same memory instead of queueing, with the same bits;
/// its buffers cannot be freed under it, a trap there faults the module, and only when every instance is busy
/// does a call wait.
/// </summary>
public sealed class ConcurrentKernelCallTests : LeakCheckedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(ModuleVariant.Simd)]
    [InlineData(ModuleVariant.Scalar)]
    public void EveryKernel_WhileAnotherThreadHoldsTheModule_RunsBesideItWithTheBitsOfOneInstance(ModuleVariant variant)
    {
        using ISharedMemoryModule single = Load(variant);
        using var module = (KernelModule)Load(variant, new SharedMemoryOptions { Parallelism = 2 });
        using var expected = new KernelRun(single);
        using var beside = new KernelRun(module);
        long before = module.Crew!.BesideCalls;

        expected.RunAll();
        using (HoldModule(module))
        {
            // Allocation takes the gate, so the buffers were made before; copies in and out do not.
            OffThread(beside.RunAll);
        }

        Assert.Equal(expected.Results, beside.Results);
        Assert.Equal(before + KernelRun.Calls, module.Crew.BesideCalls);
    }

    /// <summary>
    /// The very first contention, where the module's own instance is still biased to the thread that loaded it and that
    /// thread is inside a call: before the fix, revoking the bias waited in Enter for that whole call (36-45 ms beside a
    /// 45 ms call), once per module. Here the call holds until released, so a wait would never end.
    /// </summary>
    [Fact]
    public async Task FirstContention_WhileTheLoadingThreadIsInsideACall_RunsBesideItWithoutWaiting()
    {
        using var ready = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        KernelModule? module = null;
        WasmBuffer<float>? a = null, product = null;
        Task holder = Task.Factory.StartNew(() =>
        {
            // Loaded, allocated and held on this one thread, so the gate is biased to it when the other thread comes.
            module = (KernelModule)Load(ModuleVariant.Scalar, new SharedMemoryOptions { Parallelism = 2 });
            (a, product) = (module.Allocate<float>(16), module.Allocate<float>(16));
            a.Span.Fill(3f);
            var call = new HoldingCall(ready, release);
            module.Guest.Call<HoldingCall, bool>(ref call);
        }, TaskCreationOptions.LongRunning);
        Assert.True(ready.Wait(Patience));

        Task beside = Task.Factory.StartNew(() => module!.Multiply(a!, a!, product!), TaskCreationOptions.LongRunning);
        bool ranBeside = Finishes(beside, TimeSpan.FromSeconds(10));
        release.Set();
        Assert.True(Finishes(holder, Patience));
        Assert.True(Finishes(beside, Patience));

        try
        {
            Assert.True(ranBeside, "The first call from another thread waited for the loading thread's call to end.");
            await beside;
            Assert.All(product!.ToArray(), p => Assert.Equal(9f, p));
            Assert.Equal(1, module!.Crew!.BesideCalls);
        }
        finally
        {
            a!.Dispose();
            product!.Dispose();
            module!.Dispose();
        }
    }

    [Fact]
    public void TwoThreads_EachCallingMultiplyInALoop_BothRunAndEveryProductIsRight()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        const int length = 8 * 1024; // under the split threshold: one call, one instance
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        int wrong = 0;

        void Loop(float seed)
        {
            using WasmBuffer<float> a = module.Allocate<float>(length), b = module.Allocate<float>(length), product = module.Allocate<float>(length);
            a.Span.Fill(seed);
            b.Span.Fill(2);
            while (DateTime.UtcNow < deadline)
            {
                product.Span.Clear();
                module.Multiply(a, b, product);
                foreach (float value in product.Span)
                {
                    wrong += value == seed * 2 ? 0 : 1;
                }
            }
        }

        Parallel.Invoke(() => Loop(3), () => Loop(5));

        Assert.Equal(0, wrong);
        Assert.False(module.IsFaulted);
    }

    [Fact]
    public void TrapBeside_FaultsTheModuleAsOnTheGatesPath()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        using WasmBuffer<float> real = module.Allocate<float>(16);

        // A buffer the allocator never made, running past the end of memory: the kernel traps on the worker's instance.
        uint end = (uint)module.MemoryBytes;
        var forged = new WasmBuffer<float>(module.Guest, end - 64, 4096);
        long before = module.Crew!.BesideCalls;
        WasmTrapException ex;
        using (HoldModule(module))
        {
            ex = Assert.Throws<WasmTrapException>(() => OffThread<bool>(() =>
            {
                module.Multiply(forged, forged, forged);
                return true;
            }));
        }

        Assert.Equal("multiply_f32", ex.ExportName);
        Assert.Equal(before + 1, module.Crew.BesideCalls);
        Assert.True(module.IsFaulted);
        Assert.Throws<WasmModuleFaultedException>(() => module.Multiply(real, real, real));
    }

    [Fact]
    public void BufferPinnedByACallBeside_IsFreedOnlyOnceTheCallEnds()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        WasmBuffer<float> buffer = module.Allocate<float>(64);
        Assert.True(buffer.TryPin(module.Guest));

        Task dispose = Task.Factory.StartNew(buffer.Dispose, TaskCreationOptions.LongRunning);

        // (Nothing here may take the gate: the free holds it while it waits, as it would beside a real call.)
        Assert.False(Finishes(dispose, TimeSpan.FromMilliseconds(200)), "the free did not wait for the call using the block");
        buffer.Unpin();
        Assert.True(Finishes(dispose, Patience));
        Assert.Equal(0, module.LiveBuffers);
        Assert.False(buffer.TryPin(module.Guest), "a disposed buffer was pinned");
    }

    [Fact]
    public void DisposedBuffer_WhileAnotherThreadHoldsTheModule_ThrowsObjectDisposedOnceItCanSay()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        using WasmBuffer<float> live = module.Allocate<float>(16);
        WasmBuffer<float> disposed = module.Allocate<float>(16);
        disposed.Dispose();
        long before = module.Crew!.BesideCalls;

        Task<Exception> call;
        using (HoldModule(module))
        {
            call = Task.Factory.StartNew(() => Record.Exception(() => module.Multiply(live, disposed, live)), TaskCreationOptions.LongRunning);

            // It took a worker, found the buffer disposed, and went to the gate, which only the gate's path may report from.
            Assert.False(Finishes(call, TimeSpan.FromMilliseconds(200)));
        }

        Assert.True(Finishes(call, Patience));
        var ex = Assert.IsType<ObjectDisposedException>(Outcome(call));
        Assert.Contains("right", ex.Message);
        Assert.Equal(before + 1, module.Crew.BesideCalls);
        Assert.False(module.IsFaulted);
    }

    [Fact]
    public void EveryInstanceBusy_TheCallWaitsForTheModuleAndThenRuns()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        using WasmBuffer<float> a = module.Allocate<float>(256);
        a.Span.Fill(3);
        KernelWorker worker = module.Crew!.Workers[0];
        long before = module.Crew.BesideCalls;

        Task call;
        using (HoldModule(module))
        {
            Assert.True(worker.TryTake());
            call = Task.Factory.StartNew(() => module.Multiply(a, a, a), TaskCreationOptions.LongRunning);
            Assert.False(Finishes(call, TimeSpan.FromMilliseconds(200)), "a call ran while every instance was busy");
            worker.Release();
        }

        Assert.True(Finishes(call, Patience));
        Assert.All(a.ToArray(), value => Assert.Equal(9f, value));
        Assert.Equal(before, module.Crew.BesideCalls);
    }

    [Fact]
    public void CallLargeEnoughToSplit_WhileAnotherThreadHoldsTheModule_WaitsToSplitRatherThanTakeAWorker()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 });
        int length = (int)(module.Crew!.Policy.MinSplitBytes / sizeof(float));
        using WasmBuffer<float> a = module.Allocate<float>(length);
        a.Span.Fill(3);
        long before = module.Crew.BesideCalls;

        Task call;
        using (HoldModule(module))
        {
            call = Task.Factory.StartNew(() => module.Multiply(a, a, a), TaskCreationOptions.LongRunning);
            Assert.False(Finishes(call, TimeSpan.FromMilliseconds(200)), "a call of the split size ran beside the holder");
        }

        Assert.True(Finishes(call, Patience));
        Assert.Equal(before, module.Crew.BesideCalls);
        Assert.All(a.ToArray(), value => Assert.Equal(9f, value));
    }

    [Fact]
    public void SplitCall_WhileAWorkersInstanceRunsACallBeside_WaitsForItThenTheWorkerHelps()
    {
        using var module = (KernelModule)ParallelTuning.SplitEverything(Load(ModuleVariant.Scalar, new SharedMemoryOptions { Parallelism = 2 }));
        KernelCrew crew = module.Crew!;
        crew.CallerClaims = false; // only the worker runs blocks, so the call cannot end without it
        using WasmBuffer<float> a = module.Allocate<float>(4096);
        a.Span.Fill(2);
        KernelWorker worker = crew.Workers[0];
        Assert.True(worker.TryTake());

        Task call = Task.Factory.StartNew(() => module.Multiply(a, a, a), TaskCreationOptions.LongRunning);

        Assert.False(Finishes(call, TimeSpan.FromMilliseconds(200)), "the worker ran blocks in a store another thread held");
        worker.Release();
        Assert.True(Finishes(call, Patience));
        Assert.All(a.ToArray(), value => Assert.Equal(4f, value));
    }

    [Fact]
    public void SingleInstanceModule_WhileAnotherThreadHoldsIt_Queues()
    {
        using var module = (KernelModule)Load(ModuleVariant.Simd);
        using WasmBuffer<float> a = module.Allocate<float>(16);

        Task call;
        using (HoldModule(module))
        {
            call = Task.Factory.StartNew(() => module.Multiply(a, a, a), TaskCreationOptions.LongRunning);
            Assert.False(Finishes(call, TimeSpan.FromMilliseconds(200)), "a module of one instance ran two calls at once");
        }

        Assert.True(Finishes(call, Patience));
    }

    /// <summary>Waits up to <paramref name="within"/> for <paramref name="task"/>, on purpose blocking: the test asserts whether a call on another thread could finish.</summary>
    private static bool Finishes(Task task, TimeSpan within) => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(within);

    private static T Outcome<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="work"/> on another thread and returns what it returns, rethrowing what it throws; fails if it takes past <see cref="Patience"/>.</summary>
    private static T OffThread<T>(Func<T> work)
    {
        Task<T> task = Task.Factory.StartNew(work, TaskCreationOptions.LongRunning);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(Patience), "the call queued behind the thread holding the module");
        return task.GetAwaiter().GetResult();
    }

    private static void OffThread(Action work) => OffThread(() =>
    {
        work();
        return true;
    });

    /// <summary>Holds <paramref name="module"/>'s own instance from another thread, inside a call, until the result is disposed.</summary>
    internal static GateHold HoldModule(KernelModule module) => new(module.Guest);

    internal sealed class GateHold : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new();
        private readonly ManualResetEventSlim _release = new();
        private readonly Task _holder;

        public GateHold(GuestInstance guest)
        {
            _holder = Task.Factory.StartNew(() =>
            {
                var call = new HoldingCall(_entered, _release);
                guest.Call<HoldingCall, bool>(ref call);
            }, TaskCreationOptions.LongRunning);
            Assert.True(_entered.Wait(Patience));
        }

        public void Dispose()
        {
            _release.Set();
            Assert.True(_holder.Wait(Patience));
            _entered.Dispose();
            _release.Dispose();
        }
    }

    /// <summary>A call that holds the gate in its checks until released, then finishes without entering the guest.</summary>
    private readonly struct HoldingCall : IGuestCall<bool>
    {
        private readonly ManualResetEventSlim _entered;
        private readonly ManualResetEventSlim _release;

        public HoldingCall(ManualResetEventSlim entered, ManualResetEventSlim release) => (_entered, _release) = (entered, release);

        public string Export => "hold";

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out bool result)
        {
            _entered.Set();
            _release.Wait();
            result = true;
            return false;
        }

        public bool Invoke(GuestInstance guest) => true;
    }

    /// <summary>Every kernel once on one module's buffers, made up front, recording each result's bits.</summary>
    private sealed class KernelRun : IDisposable
    {
        public const int Calls = 7;
        private const int Length = 3000; // not a multiple of any vector width: the kernels' tails run too

        private readonly ISharedMemoryModule _module;
        private readonly WasmBuffer<float> _left, _right, _product;
        private readonly WasmBuffer<double> _wide, _wideProduct;
        private readonly WasmBuffer<int> _ints, _intProduct;

        public KernelRun(ISharedMemoryModule module)
        {
            _module = module;
            var random = new Random(7);
            (_left, _right, _product) = (module.Allocate<float>(Length), module.Allocate<float>(Length), module.Allocate<float>(Length));
            (_wide, _wideProduct) = (module.Allocate<double>(Length), module.Allocate<double>(Length));
            (_ints, _intProduct) = (module.Allocate<int>(Length), module.Allocate<int>(Length));
            for (int i = 0; i < Length; i++)
            {
                _left.Span[i] = (float)(random.NextDouble() * 200 - 100);
                _right.Span[i] = (float)(random.NextDouble() * 200 - 100);
                _wide.Span[i] = random.NextDouble() * 1e6;
                _ints.Span[i] = random.Next();
            }
        }

        public System.Collections.Generic.List<long[]> Results { get; } = new();

        public void RunAll()
        {
            _module.Multiply(_left, _right, _product);
            Results.Add(Bits(_product));
            _module.Add(_left, _right, _product);
            Results.Add(Bits(_product));
            _module.Scale(_left, -1.5f, _product);
            Results.Add(Bits(_product));
            _module.Multiply(_wide, _wide, _wideProduct);
            Results.Add(_wideProduct.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray());
            _module.Multiply(_ints, _ints, _intProduct);
            Results.Add(_intProduct.ToArray().Select(v => (long)v).ToArray());
            Results.Add(new long[] { BitConverter.SingleToInt32Bits(_module.Dot(_left, _right)) });
            Results.Add(new long[] { BitConverter.DoubleToInt64Bits(_module.Dot(_wide, _wide)) });
        }

        public void Dispose()
        {
            foreach (IDisposable buffer in new IDisposable[] { _left, _right, _product, _wide, _wideProduct, _ints, _intProduct })
            {
                buffer.Dispose();
            }
        }

        private static long[] Bits(WasmBuffer<float> buffer) => buffer.ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray();
    }
}
