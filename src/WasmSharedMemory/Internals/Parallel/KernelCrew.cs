using System;
using System.Threading;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// The extra instances of a parallel module, and the split of a kernel call across them. A split call is cut into
/// blocks (<see cref="SplitPolicy"/>); the calling thread (on the module's own instance) and every awake
/// <see cref="KernelWorker"/> claim blocks one at a time until none are left (<see cref="SplitCall"/>), so a worker
/// that wakes late only helps less. Only the thread inside <see cref="GuestInstance.Call{TCall, TResult}"/> opens
/// calls, so a split call is one call: serialized with every other, counted once, and faulting the module if any
/// block traps.
/// </summary>
/// <remarks>
/// <para>
/// A kernel that writes a destination splits at multiples of 64 bytes, so every block keeps the kernel's aligned SIMD
/// path; each element is computed by the same instructions from the same inputs whichever block holds it, so the
/// result is bit for bit the one instance's. Buffers never partly overlap (they come from one allocator), so blocks
/// are disjoint even in place.
/// </para>
/// <para>
/// A reduction splits at whole chunks of <see cref="KernelTable.DotChunk"/> elements: each block writes its chunks'
/// sums through the row's chunk-sums export into <see cref="ChunkSumScratch"/>, and the host adds them as the kernel
/// would, so the result is bit-identical too.
/// </para>
/// </remarks>
internal sealed unsafe class KernelCrew : IDisposable
{
    /// <summary>Blocks split at multiples of this many bytes: a cache line, and the kernels' widest alignment.</summary>
    private const int Grain = 64;

    private readonly KernelWorker[] _workers;
    private readonly ChunkSumScratch _scratch;
    private readonly SplitCall _call = new();
    private long _besideCalls;
    private int _disposed;

    private KernelCrew(int parallelism, uint heapBase)
    {
        _workers = new KernelWorker[parallelism - 1];
        _scratch = new ChunkSumScratch(heapBase);
        Policy = new SplitPolicy(_workers);
    }

    /// <summary>Gets the number of instances a call may run on: the workers and the module's own.</summary>
    public int Parallelism => _workers.Length + 1;

    /// <summary>Gets the generation of the call opened last, which workers wait to change.</summary>
    public int OpenGeneration => _call.Generation;

    /// <summary>Gets when calls split and into how many blocks; tests and the thresholds benchmark lower its thresholds.</summary>
    public SplitPolicy Policy { get; }

    /// <summary>Gets or sets a value indicating whether the calling thread claims blocks too; tests turn it off to make workers run every block.</summary>
    internal bool CallerClaims { get; set; } = true;

    /// <summary>Gets the workers, for tests.</summary>
    internal System.Collections.Generic.IReadOnlyList<KernelWorker> Workers => _workers;

    /// <summary>Gets how many calls were split; for tests and diagnostics.</summary>
    internal long SplitCalls { get; private set; }

    /// <summary>Gets how many worker threads are running; 0 once the crew is disposed.</summary>
    internal int LiveWorkerThreads
    {
        get
        {
            int alive = 0;
            foreach (KernelWorker? worker in _workers)
            {
                alive += worker is { IsThreadAlive: true } ? 1 : 0;
            }

            return alive;
        }
    }

    /// <summary>Starts <c>parallelism - 1</c> workers, each instantiating <paramref name="module"/> over <paramref name="memory"/>.</summary>
    /// <remarks>The chunk sums of a split reduction go below <c>heapBase</c>, the module's <c>__heap_base</c>.</remarks>
    public static KernelCrew Start(Wasmtime.Engine engine, Wasmtime.Module module, SharedLinearMemory memory, int parallelism, uint heapBase)
    {
        var crew = new KernelCrew(parallelism, heapBase);
        try
        {
            for (int i = 0; i < crew._workers.Length; i++)
            {
                crew._workers[i] = KernelWorker.Start(crew, engine, module, memory, i + 1);
            }
        }
        catch
        {
            crew.Dispose();
            throw;
        }

        return crew;
    }

    /// <summary>
    /// Runs <paramref name="kernel"/>, which writes a destination, over <paramref name="length"/> elements split in
    /// blocks, this thread's through <paramref name="own"/>; <paramref name="arguments"/> are the whole call's.
    /// </summary>
    /// <exception cref="Wasmtime.WasmtimeException">A block trapped; the first failure, after every claimed block has finished.</exception>
    public void Split(GuestFunction own, KernelDescriptor kernel, ReadOnlySpan<RawValue> arguments, int length)
    {
        int grain = Grain / kernel.ElementSize;
        int blocks = Policy.BlocksFor(DivideUp(length, grain), (long)length * kernel.ElementSize);
        Run(own, kernel, arguments, length, DivideUp(DivideUp(length, blocks), grain) * grain);
    }

    /// <summary>
    /// Runs reduction <paramref name="kernel"/> over <paramref name="length"/> elements split in blocks of whole chunks
    /// through its chunk-sums export (<paramref name="own"/> on this thread), then adds the chunk sums left to right in
    /// <typeparamref name="TResult"/>, the row's result type; false, having run nothing, when there are too few chunks to
    /// split or too many for the scratch. <paramref name="arguments"/> are the reduction's; the slot after them is used.
    /// </summary>
    /// <exception cref="Wasmtime.WasmtimeException">A block trapped; the first failure, after every claimed block has finished.</exception>
    public bool TryReduce<TResult>(GuestInstance guest, GuestFunction own, KernelDescriptor kernel, Span<RawValue> arguments, int length, out TResult result)
        where TResult : unmanaged
    {
        result = default;
        int chunks = DivideUp(length, KernelTable.DotChunk);
        if (chunks < 2 || !_scratch.Holds(chunks, kernel.ResultSize))
        {
            return false;
        }

        // The chunk-sums export takes the reduction's operands and then where the sums go.
        arguments[kernel.Operands.Length + 1].I32 = (int)ChunkSumScratch.Start;
        int blocks = Policy.BlocksFor(chunks, (long)length * kernel.ElementSize);
        Run(own, kernel.ChunkSums!, arguments, length, DivideUp(chunks, blocks) * KernelTable.DotChunk);
        result = ChunkSumScratch.SumLeftToRight<TResult>(guest.Base, chunks);
        return true;
    }

    /// <summary>Gets how many calls ran whole on a worker's instance beside another thread's call; for tests and diagnostics.</summary>
    internal long BesideCalls => Interlocked.Read(ref _besideCalls);

    /// <summary>
    /// Takes the store of a worker that no thread runs in, for one whole call on the calling thread while another
    /// thread's call holds the module's own instance; null when every worker is busy.
    /// </summary>
    /// <returns>The worker, to <see cref="KernelWorker.Release"/> once the call ends, or null.</returns>
    public KernelWorker? TryTakeIdle()
    {
        foreach (KernelWorker worker in _workers)
        {
            if (worker.TryTake())
            {
                Interlocked.Increment(ref _besideCalls);
                return worker;
            }
        }

        return null;
    }

    /// <summary>Gets a value indicating whether the split call of <paramref name="generation"/> still has blocks to claim; a worker waiting for its store asks.</summary>
    public bool HasUnclaimedBlocks(int generation) => _call.HasUnclaimedBlocks(generation);

    /// <summary>Claims and runs blocks of the open call until none are left; on a worker's thread, with its instance's kernels.</summary>
    public void Help(GuestFunction[] kernels) => _call.RunBlocks(kernels, null);

    /// <summary>Stops every worker and frees its store; after the module's instance is disposed, so no call is open.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (KernelWorker? worker in _workers)
        {
            worker?.Dispose();
        }
    }

    private static int DivideUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);

    /// <summary>Opens a call, wakes parked workers, runs blocks on this thread, waits for every claimed block, and rethrows the first failure.</summary>
    private void Run(GuestFunction own, KernelDescriptor kernel, ReadOnlySpan<RawValue> arguments, int length, int blockElements)
    {
        _call.Open(kernel, arguments, length, blockElements);
        SplitCalls++;
        foreach (KernelWorker worker in _workers)
        {
            worker.WakeIfParked();
        }

        if (CallerClaims)
        {
            _call.RunBlocks(null, own);
        }

        _call.Finish();
    }
}
