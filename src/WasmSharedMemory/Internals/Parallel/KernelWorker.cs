using System;
using System.Diagnostics;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Loading;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// One extra instance of a parallel module, in its own store, and the one thread that ever enters that store: it
/// waits for <see cref="KernelCrew"/> to open a split call, then claims and runs blocks of it until none are left.
/// </summary>
/// <remarks>
/// Between calls the worker spins for <see cref="SpinWindow"/>, so back-to-back calls find it awake (a hand-off of
/// well under a microsecond), then parks on an event: waking it costs 5–40 µs in a VM, which only large calls
/// pay for (<see cref="SplitPolicy.ShouldSplit"/>). Nothing is allocated per call.
/// </remarks>
internal sealed class KernelWorker : IDisposable
{
    /// <summary>How long an idle worker stays awake before it parks.</summary>
    public static readonly TimeSpan SpinWindow = TimeSpan.FromMilliseconds(0.2);

    private static readonly long s_spinTicks = (long)(SpinWindow.TotalSeconds * Stopwatch.Frequency);

    private readonly KernelCrew _crew;
    private readonly GuestInstance _guest;
    private readonly GuestFunction[] _kernels;
    private readonly bool _yieldWhileSpinning;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private int _parked;
    private volatile bool _stopping;

    // 1 while a thread runs guest code in this worker's store: the worker helping a split call, or another caller's
    // whole call (KernelCrew.TryTakeIdle). A store must never be entered from two threads at once.
    private int _busy;

    private KernelWorker(KernelCrew crew, GuestInstance guest, GuestFunction[] kernels, int number, bool yieldWhileSpinning)
    {
        (_crew, _guest, _kernels, _yieldWhileSpinning) = (crew, guest, kernels, yieldWhileSpinning);
        _thread = new Thread(Run) { IsBackground = true, Name = $"WasmSharedMemory kernel worker {number}" };
        _thread.Start();
    }

    /// <summary>Gets a value indicating whether the thread is still running, for tests.</summary>
    internal bool IsThreadAlive => _thread.IsAlive;

    /// <summary>Gets the worker's bound kernels, indexed by <see cref="KernelDescriptor.Index"/>; only while holding the store (<see cref="TryTake"/>).</summary>
    public GuestFunction[] Kernels => _kernels;

    /// <summary>Takes the worker's store for one whole call on the calling thread, unless a thread already runs in it.</summary>
    /// <returns>True if taken; then <see cref="Release"/> it once the call ends.</returns>
    public bool TryTake() => Volatile.Read(ref _busy) == 0 && Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Gives the store back after <see cref="TryTake"/>.</summary>
    public void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>Gets a value indicating whether the worker is parked, so a call must wake it to have its help.</summary>
    public bool IsParked => Volatile.Read(ref _parked) != 0;

    /// <summary>Instantiates <paramref name="module"/> over <paramref name="memory"/> (the one instantiation path), binds every kernel, and starts the thread.</summary>
    /// <exception cref="WasmContractException">The module lacks a kernel export or it has another signature.</exception>
    public static KernelWorker Start(KernelCrew crew, Engine engine, Module module, SharedLinearMemory memory, int number)
    {
        GuestInstance guest = Instantiation.Instantiate(GuestSpec.ForWorker(engine, module, memory));
        try
        {
            var kernels = new GuestFunction[KernelTable.Bindable.Length];
            foreach (KernelDescriptor kernel in KernelTable.Bindable)
            {
                kernels[kernel.Index] = guest.Bind(kernel.Export, kernel.Signature);
            }

            // With more instances than cores a spinning worker would keep the thread it waits for off the core.
            return new KernelWorker(crew, guest, kernels, number, yieldWhileSpinning: crew.Parallelism > Environment.ProcessorCount);
        }
        catch
        {
            guest.Dispose();
            throw;
        }
    }

    /// <summary>Wakes the worker if it is parked; after a call was opened.</summary>
    public void WakeIfParked()
    {
        if (Volatile.Read(ref _parked) != 0)
        {
            _wake.Set();
        }
    }

    /// <summary>Stops the thread and frees the store; only when no call is open (the module is disposed).</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _wake.Set();
        _thread.Join();
        _guest.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        int seen = 0;
        while (true)
        {
            seen = AwaitCall(seen);
            if (_stopping)
            {
                return;
            }

            // Another caller may be running a whole call in this store: wait for it while the split call still has
            // blocks to hand out (the caller that opened it runs them meanwhile), then help with what is left.
            var spin = default(SpinWait);
            bool taken = TryTake();
            while (!taken && !_stopping && _crew.HasUnclaimedBlocks(seen))
            {
                spin.SpinOnce();
                taken = TryTake();
            }

            if (taken)
            {
                try
                {
                    _crew.Help(_kernels);
                }
                finally
                {
                    Release();
                }
            }
        }
    }

    /// <summary>Returns the generation of the next opened call once it differs from <paramref name="seen"/>: spinning for <see cref="SpinWindow"/>, then parked.</summary>
    private int AwaitCall(int seen)
    {
        long parkAt = Stopwatch.GetTimestamp() + s_spinTicks;
        for (int spins = 1; ; spins++)
        {
            int generation = _crew.OpenGeneration;
            if (generation != seen || _stopping)
            {
                return generation;
            }

            if (spins % 64 != 0)
            {
                Thread.SpinWait(1);
                continue;
            }

            if (Stopwatch.GetTimestamp() < parkAt)
            {
                if (_yieldWhileSpinning)
                {
                    Thread.Yield();
                }

                continue;
            }

            // Parked is set with a full fence before the generation is read again, and the crew opens a call (a full
            // fence) before it reads parked: so either this sees the call or the crew sees the flag and wakes it.
            _wake.Reset();
            Interlocked.Exchange(ref _parked, 1);
            if (_crew.OpenGeneration == seen && !_stopping)
            {
                _wake.Wait();
            }

            Volatile.Write(ref _parked, 0);
            parkAt = Stopwatch.GetTimestamp() + s_spinTicks;
        }
    }
}
