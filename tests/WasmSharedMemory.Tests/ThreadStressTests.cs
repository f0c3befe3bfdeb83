using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using WasmSharedMemory.Tests.Fuzz;
using Xunit.Abstractions;

using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Every core allocating, writing, multiplying, reading (the copy helpers among the ways) and disposing for a
/// fixed time (not a fixed count), on one module, on a module per thread, and through a <see cref="WasmHost"/>'s
/// exports. Each thread checks every buffer it owns after every operation (another thread's call must never
/// clobber it), every product against a plain loop, and multiplies a shared counter by 3 inside wasm: the
/// counter must end at 3^(calls) mod 2^32, so a single lost update shows.
/// </summary>
/// <remarks><c>WSM_STRESS_SECONDS</c> sets how long each test hammers (default 1.5 s).</remarks>
public sealed class ThreadStressTests : LeakCheckedTests
{
    private const int PoolSize = 8;

    private readonly ITestOutputHelper _output;

    public ThreadStressTests(ITestOutputHelper output) => _output = output;

    private static int Threads => Math.Max(2, Environment.ProcessorCount);

    private static TimeSpan Duration =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("WSM_STRESS_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 1.5);

    [Theory]
    [InlineData(ModuleVariant.Simd, 1)]
    [InlineData(ModuleVariant.Scalar, 1)]
    [InlineData(ModuleVariant.Simd, 2)]
    [InlineData(ModuleVariant.Scalar, 2)]
    public void OneModule_EveryCoreForAFixedTime_NoCrashNoClobberNoLostUpdate(ModuleVariant variant, int parallelism)
    {
        // A parallel module splits every call it can, so callers on every core contend with split calls.
        using ISharedMemoryModule module = ParallelTuning.SplitEverything(Load(variant, new SharedMemoryOptions { Parallelism = parallelism }));
        var target = new ModuleTarget(module);
        using WasmBuffer<int> counter = module.Allocate<int>(1);
        counter.Span[0] = 1;

        Totals totals = Hammer((_, _) => (target, counter));

        Assert.Equal(Power3(totals.CounterCalls), counter.Span[0]);
        Assert.Equal(1, module.LiveBuffers); // the counter
        Assert.False(module.IsFaulted);
        Report($"one {variant} module, parallelism {parallelism}", totals);
    }

    [Fact]
    public void ModulePerThread_LoadedUsedAndDisposedOnEveryCore_NoCrashNoClobberNoLostUpdate()
    {
        // Each thread works on its own module and replaces it every 400 operations, so loads and disposes
        // of both builds, with one instance and with two, race each other on the shared engines and compiled-module caches.
        var retired = new ConcurrentBag<(long Calls, int Value)>();
        Totals totals = Hammer(
            (thread, generation) =>
            {
                var options = new SharedMemoryOptions { Parallelism = 1 + ((thread + generation) / 2 % 2) };
                ISharedMemoryModule module = ParallelTuning.SplitEverything(Load((thread + generation) % 2 == 0 ? ModuleVariant.Simd : ModuleVariant.Scalar, options));
                WasmBuffer<int> counter = module.Allocate<int>(1);
                counter.Span[0] = 1;
                return (new ModuleTarget(module), counter);
            },
            worker =>
            {
                retired.Add((worker.CounterCalls, worker.Counter.Span[0]));
                worker.Counter.Dispose();
                ISharedMemoryModule module = ((ModuleTarget)worker.Target).Module;
                Assert.Equal(0, module.LiveBuffers);
                Assert.False(module.IsFaulted);
                module.Dispose();
            });

        Assert.All(retired, c => Assert.Equal(Power3(c.Calls), c.Value));
        Assert.Equal(totals.CounterCalls, retired.Sum(c => c.Calls));
        Report($"a module per thread ({retired.Count} modules, both builds, one or two instances)", totals);
    }

    [Fact]
    public void WasmHostExports_CalledFromEveryCoreForAFixedTime_AreSerializedWithNoLostUpdate()
    {
        byte[] wasm = File.ReadAllBytes(ToolchainModules.Path("wasm_shared_memory.simd.wasm"));
        // A call timeout arms the epoch deadline on every call, so that path is hammered too.
        using WasmHost host = Track(WasmHost.FromBytes(wasm, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) }));
        var target = new HostTarget(host);
        using WasmBuffer<int> counter = host.Allocate<int>(1);
        counter.Span[0] = 1;

        Totals totals = Hammer((_, _) => (target, counter));

        Assert.Equal(Power3(totals.CounterCalls), counter.Span[0]);
        Assert.Equal(1, host.LiveBuffers);
        Assert.False(host.IsFaulted);
        Report("one WasmHost's exports", totals);
    }

    private static int Power3(long calls)
    {
        // 3 is odd, so 3^n mod 2^32 has period 2^30: every count below that gives a different value.
        uint result = 1, square = 3;
        for (long n = calls; n > 0; n >>= 1)
        {
            if ((n & 1) != 0)
            {
                result = unchecked(result * square);
            }

            square = unchecked(square * square);
        }

        return unchecked((int)result);
    }

    /// <summary>
    /// Runs a worker per core until the deadline. With <paramref name="retire"/>, each worker moves to a new
    /// target from <paramref name="start"/> every 400 operations and hands the old one to <paramref name="retire"/>.
    /// </summary>
    private Totals Hammer(Func<int, int, (StressTarget Target, WasmBuffer<int> Counter)> start, Action<Worker>? retire = null)
    {
        int threads = Threads;
        var failures = new ConcurrentQueue<Exception>();
        var workers = new Worker?[threads];
        using var ready = new Barrier(threads + 1);
        long deadline = long.MaxValue;
        var pool = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int thread = t;
            pool[t] = new Thread(() =>
            {
                Worker worker;
                try
                {
                    var (target, counter) = start(thread, 0);
                    worker = workers[thread] = new Worker(target, counter, seed: thread);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(new InvalidOperationException($"Thread {thread} could not start: {ex.Message}", ex));
                    ready.SignalAndWait();
                    return;
                }

                ready.SignalAndWait();
                int generation = 0;
                try
                {
                    while (Stopwatch.GetTimestamp() < Volatile.Read(ref deadline))
                    {
                        worker.Step();
                        if (retire is not null && worker.Operations % 400 == 0)
                        {
                            worker.DisposeAll();
                            retire(worker);
                            var (nextTarget, nextCounter) = start(thread, ++generation);
                            worker = workers[thread] = worker.Continue(nextTarget, nextCounter);
                        }
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue(new InvalidOperationException($"Thread {thread} failed after {worker.TotalOperations} operations: {ex.Message}", ex));
                }
                finally
                {
                    worker.DisposeAll();
                    retire?.Invoke(worker);
                }
            }) { IsBackground = true, Name = $"stress {t}" };
            pool[t].Start();
        }

        ready.SignalAndWait();
        Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + (long)(Duration.TotalSeconds * Stopwatch.Frequency));
        foreach (Thread thread in pool)
        {
            Assert.True(thread.Join(Duration + TimeSpan.FromSeconds(60)), $"{thread.Name} did not finish");
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures));
        Worker[] done = workers.Select(w => w!).ToArray();
        return new Totals(threads, done.Sum(w => w.TotalOperations), done.Sum(w => w.TotalMultiplies), done.Sum(w => w.TotalAllocations), done.Sum(w => w.TotalCounterCalls));
    }

    private void Report(string what, Totals totals) =>
        _output.WriteLine(
            $"{what}: {totals.Threads} threads for {Duration.TotalSeconds:0.0} s: {totals.Operations:N0} operations, {totals.Allocations:N0} allocations, " +
            $"{totals.Multiplies:N0} checked multiplies, {totals.CounterCalls:N0} counter updates, none lost, no buffer clobbered.");

    private readonly record struct Totals(int Threads, long Operations, long Multiplies, long Allocations, long CounterCalls);

    /// <summary>What a worker hammers: a host to allocate from (the kernel module is one), and a way to run the kernels.</summary>
    private abstract class StressTarget
    {
        protected StressTarget(WasmHost host) => Host = host;

        public WasmHost Host { get; }

        public TrackedBuffer Allocate(int id, ElementKind kind, int length) => TrackedBuffer.Allocate(Host, id, kind, length);

        public abstract void Run<T>(ElementWiseCase<T> kernel, WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination)
            where T : unmanaged;
    }

    /// <summary>The kernel module, its kernels called through <see cref="ISharedMemoryModule"/>.</summary>
    private sealed class ModuleTarget : StressTarget
    {
        public ModuleTarget(ISharedMemoryModule module)
            : base(module.Host) => Module = module;

        public ISharedMemoryModule Module { get; }

        public override void Run<T>(ElementWiseCase<T> kernel, WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination) =>
            kernel.Run(Module, left, right, destination);
    }

    /// <summary>The kernel module's <c>.wasm</c> loaded as a plain <see cref="WasmHost"/>, its kernels called through guarded exports.</summary>
    private sealed class HostTarget : StressTarget
    {
        private readonly Dictionary<string, Delegate> _kernels;

        public HostTarget(WasmHost host)
            : base(host)
        {
            // Bound up front from the table, buffers passed as checked arguments rather than raw addresses.
            _kernels = KernelCases.Of(typeof(ElementWiseCase<>)).ToDictionary(k => k.Descriptor.Export, k => k switch
            {
                ElementWiseCase<int> => (Delegate)host.GetAction<int, WasmBuffer<int>, WasmBuffer<int>, WasmBuffer<int>>(k.Descriptor.Export),
                ElementWiseCase<float> => host.GetAction<int, WasmBuffer<float>, WasmBuffer<float>, WasmBuffer<float>>(k.Descriptor.Export),
                _ => host.GetAction<int, WasmBuffer<double>, WasmBuffer<double>, WasmBuffer<double>>(k.Descriptor.Export),
            });
        }

        public override void Run<T>(ElementWiseCase<T> kernel, WasmBuffer<T> left, WasmBuffer<T> right, WasmBuffer<T> destination) =>
            ((Action<int, WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>>)_kernels[kernel.Descriptor.Export])(left.Length, destination, left, right);
    }

    /// <summary>One thread's pool of buffers and the model of each.</summary>
    private sealed class Worker
    {
        private static readonly ElementWiseCase<int> s_multiplyInt32 = (ElementWiseCase<int>)KernelCases.Named("multiply_i32");

        private static readonly ElementKind[] s_kinds = { ElementKind.Int32, ElementKind.Single, ElementKind.Double, ElementKind.Int32, ElementKind.Single, ElementKind.Byte, ElementKind.Vector3 };

        private readonly Random _random;
        private readonly List<TrackedBuffer> _pool = new();
        private readonly StressTarget _target;
        private readonly TrackedBuffer<int> _three;
        private readonly long _priorOperations, _priorMultiplies, _priorAllocations, _priorCounterCalls;
        private int _nextId;

        public Worker(StressTarget target, WasmBuffer<int> counter, int seed)
            : this(target, counter, new Random(seed), 0, 0, 0, 0)
        {
        }

        private Worker(StressTarget target, WasmBuffer<int> counter, Random random, long operations, long multiplies, long allocations, long counterCalls)
        {
            _target = target;
            Counter = counter;
            _random = random;
            (_priorOperations, _priorMultiplies, _priorAllocations, _priorCounterCalls) = (operations, multiplies, allocations, counterCalls);
            _three = (TrackedBuffer<int>)target.Allocate(-1, ElementKind.Int32, 1);
            _three.Buffer.Span[0] = 3;
            _three.Accept();
        }

        public StressTarget Target => _target;

        public WasmBuffer<int> Counter { get; }

        public long Operations { get; private set; }

        public long CounterCalls { get; private set; }

        public long TotalOperations => _priorOperations + Operations;

        public long TotalMultiplies => _priorMultiplies + Multiplies;

        public long TotalAllocations => _priorAllocations + Allocations;

        public long TotalCounterCalls => _priorCounterCalls + CounterCalls;

        private long Multiplies { get; set; }

        private long Allocations { get; set; }

        /// <summary>A worker for a new module that keeps this one's random stream and totals.</summary>
        public Worker Continue(StressTarget target, WasmBuffer<int> counter) =>
            new(target, counter, _random, TotalOperations, TotalMultiplies, TotalAllocations, TotalCounterCalls);

        public void Step()
        {
            Operations++;
            switch (_random.Next(10))
            {
                case 0 or 1 or 2:
                    if (_pool.Count >= PoolSize)
                    {
                        DisposeAt(_random.Next(_pool.Count));
                    }

                    Fresh(s_kinds[_random.Next(s_kinds.Length)], Length());
                    break;
                case 3 or 4 or 5:
                    Multiply();
                    break;
                case 6:
                    if (_pool.Count > 0)
                    {
                        DisposeAt(_random.Next(_pool.Count));
                    }

                    break;
                case 7:
                    if (_pool.Count > 0)
                    {
                        // Writes and reads through every path, the copy helpers (CopyFrom, ToArray, CopyTo) among them.
                        TrackedBuffer buffer = _pool[_random.Next(_pool.Count)];
                        if (_random.Next(2) == 0)
                        {
                            buffer.Write(_random.Next(), _random.Next(5), _random.Next());
                        }
                        else
                        {
                            buffer.Read(_random.Next(4), _random.Next());
                        }
                    }

                    break;
                default:
                    _target.Run(s_multiplyInt32, Counter, _three.Buffer, Counter);
                    CounterCalls++;
                    break;
            }

            // Whatever the other threads did meanwhile, every buffer this thread owns is as it left it.
            foreach (TrackedBuffer buffer in _pool)
            {
                buffer.CheckIntact();
            }

            _three.CheckIntact();
        }

        public void DisposeAll()
        {
            while (_pool.Count > 0)
            {
                DisposeAt(0);
            }

            _three.Dispose();
        }

        // Mostly small, so calls into wasm interleave as often as possible; now and then large enough to grow memory.
        private int Length() => _random.Next(50) switch
        {
            0 => _random.Next(1, 1 << 16),
            < 6 => _random.Next(0, 4096),
            _ => _random.Next(0, 256),
        };

        private TrackedBuffer Fresh(ElementKind kind, int length)
        {
            TrackedBuffer buffer = _target.Allocate(_nextId++, kind, length);
            buffer.Write(_random.Next(), 1, 0);
            _pool.Add(buffer);
            Allocations++;
            return buffer;
        }

        private void DisposeAt(int index)
        {
            _pool[index].Dispose();
            _pool.RemoveAt(index);
        }

        private void Multiply()
        {
            switch (_random.Next(3))
            {
                case 0:
                    Multiply<int>(ElementKind.Int32);
                    break;
                case 1:
                    Multiply<float>(ElementKind.Single);
                    break;
                default:
                    Multiply<double>(ElementKind.Double);
                    break;
            }
        }

        private void Multiply<T>(ElementKind kind)
            where T : unmanaged
        {
            while (_pool.Count > PoolSize - 2)
            {
                DisposeAt(_random.Next(_pool.Count));
            }

            var left = _pool.OfType<TrackedBuffer<T>>().FirstOrDefault() ?? (TrackedBuffer<T>)Fresh(kind, Length());
            var right = _random.Next(3) == 0 ? left : (TrackedBuffer<T>)Fresh(kind, left.Length);
            var destination = _random.Next(3) switch { 0 => left, 1 => right, _ => (TrackedBuffer<T>)Fresh(kind, left.Length) };
            ElementWiseCase<T>[] kernels = KernelCases.ElementWise<T>();
            ElementWiseCase<T> kernel = kernels[_random.Next(kernels.Length)];
            T[] expected = kernel.Expected(left.Expected, right.Expected);
            _target.Run(kernel, left.Buffer, right.Buffer, destination.Buffer);
            destination.AcceptProduct(expected, "a multiply racing other threads");
            Multiplies++;
        }
    }
}
