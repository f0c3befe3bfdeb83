using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// The extra instances of a parallel module and the split of a kernel call across them. A split call is cut into
/// blocks; the calling thread (on the module's own instance) and every awake <see cref="KernelWorker"/> claim blocks
/// one at a time until none are left, so a worker that wakes late only helps less. Only the thread inside
/// <see cref="GuestInstance.Call{TCall, TResult}"/> opens calls, so a split call is one call: serialized with every
/// other, counted once, and faulting the module if any block traps.
/// </summary>
/// <remarks>
/// <para>
/// Element-wise kernels split at multiples of 64 bytes, so every block keeps the kernel's aligned SIMD path; each
/// element is computed by the same instructions from the same inputs whichever block holds it, so the result is
/// bit for bit the one instance's. Buffers never partly overlap (they come from one allocator), so blocks are
/// disjoint even in place.
/// </para>
/// <para>
/// A dot product splits at whole chunks of <see cref="DotChunk"/> elements: each block writes its chunks' sums
/// (<c>dot_*_chunks</c>) from <see cref="ScratchStart"/> on, below <c>__heap_base</c>, in the 1 MiB wasm-ld reserves
/// for a shadow stack no code of this module uses (<c>rust/build.sh</c> checks that no function reads or writes a
/// global); then the host adds the sums left to right from +0, which is how <c>dot_*</c> itself combines them
/// (<c>rust/src/kernels.rs</c>). So the result is bit-identical too.
/// </para>
/// <para>
/// Claims go through one 64-bit cursor: the call's generation and the next block. Opening a call first closes the
/// cursor under the new generation, then writes the call, then opens it; a participant reads the cursor, then the
/// call, then claims with a compare-and-swap on the value it read, so a claim that succeeds is of a block of the
/// call it read, and a block is never claimed twice.
/// </para>
/// </remarks>
internal sealed unsafe class KernelCrew : IDisposable
{
    /// <summary>Elements per chunk of a dot product: <c>DOT_CHUNK</c> in <c>rust/src/kernels.rs</c>.</summary>
    public const int DotChunk = 4096;

    /// <summary>Where the chunk sums of a split dot product start: past the addresses empty buffers report.</summary>
    public const uint ScratchStart = 4096;

    /// <summary>Blocks split at multiples of this many bytes: a cache line, and the kernels' widest alignment.</summary>
    private const int Grain = 64;


    /// <summary>The next-block half of a cursor whose call is being written: no claim succeeds.</summary>
    private const uint Closed = uint.MaxValue;

    private static readonly long s_streamTicks = (long)(KernelWorker.SpinWindow.TotalSeconds * Stopwatch.Frequency);

    private readonly KernelWorker[] _workers;
    private readonly uint _scratchEnd;
    private int _disposed;

    // When a call last kept to one instance because a worker was parked; only under the module's lock.
    private long _lastKeptToOne = long.MinValue / 2;

    // (generation << 32) | next block.
    private long _cursor = Closed;

    // The open call, written between closing and opening the cursor.
    private int _kernelIndex;
    private int _blocks;
    private int _blockElements;
    private int _length;
    private int _elementSize;
    private bool _chunkSums;
    private uint _p1;
    private uint _p2;
    private uint _p3;
    private int _completed;
    private Exception? _failure;

    private KernelCrew(int parallelism, uint scratchEnd)
    {
        _workers = new KernelWorker[parallelism - 1];
        _scratchEnd = scratchEnd;
    }

    /// <summary>Gets the number of instances a call may run on: the workers and the module's own.</summary>
    public int Parallelism => _workers.Length + 1;

    /// <summary>Gets the generation of the call opened last, which workers wait to change.</summary>
    public int OpenGeneration => (int)(Volatile.Read(ref _cursor) >> 32);

    /// <summary>Gets or sets the bytes per operand from which a call splits while the workers are awake; a measured default.</summary>
    internal long MinSplitBytes { get; set; } = SplitThresholds.AwakeBytes;

    /// <summary>Gets or sets the bytes per operand from which a call wakes parked workers to split.</summary>
    internal long MinWakeBytes { get; set; } = SplitThresholds.ParkedBytes;

    /// <summary>Gets or sets the smallest block per operand: each block is a call into wasm and a claim on a shared cache line.</summary>
    internal long MinBlockBytes { get; set; } = SplitThresholds.MinBlockBytes;

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
    /// <remarks>The chunk sums of a split dot product go below <c>heapBase</c>, the module's <c>__heap_base</c>.</remarks>
    public static KernelCrew Start(Engine engine, Module module, SharedLinearMemory memory, int parallelism, uint heapBase)
    {
        var crew = new KernelCrew(parallelism, Math.Max(heapBase, ScratchStart));
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
    /// Gets whether a call over <paramref name="bytes"/> bytes per operand should split: not below the threshold,
    /// nor below the wake threshold while a worker is parked. In the second case a call that follows another such
    /// call within <see cref="KernelWorker.SpinWindow"/> wakes the workers without waiting for them, so a stream of
    /// mid-sized calls splits from the time they are awake, while occasional ones never pay for a wake-up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ShouldSplit(long bytes)
    {
        if (bytes < MinSplitBytes)
        {
            return false;
        }

        return bytes >= MinWakeBytes || !AnyParked() || NudgeIfStream();
    }

    /// <summary>Runs element-wise <paramref name="kernel"/> over <paramref name="length"/> elements split in blocks, this thread's through <paramref name="own"/>.</summary>
    /// <exception cref="WasmtimeException">A block trapped; the first failure, after every claimed block has finished.</exception>
    public void ElementWise(GuestFunction own, KernelDescriptor kernel, int length, int elementSize, uint destination, uint left, uint right)
    {
        int grain = Grain / elementSize;
        int blocks = BlocksFor(DivideUp(length, grain), (long)length * elementSize);
        Run(own, kernel, length, elementSize, DivideUp(DivideUp(length, blocks), grain) * grain, chunkSums: false, destination, left, right);
    }

    /// <summary>
    /// Runs reduction <paramref name="kernel"/> over <paramref name="length"/> elements split in blocks of whole chunks,
    /// then adds the chunk sums left to right; false, having run nothing, when there are too few chunks to split or
    /// too many for the scratch below <c>__heap_base</c>.
    /// </summary>
    /// <exception cref="WasmtimeException">A block trapped; the first failure, after every claimed block has finished.</exception>
    public bool TryReduce<T>(GuestInstance guest, GuestFunction own, KernelDescriptor kernel, int length, uint left, uint right, out T result)
        where T : unmanaged
    {
        result = default;
        int chunks = DivideUp(length, DotChunk);
        if (chunks < 2 || (ulong)chunks * (ulong)sizeof(T) > _scratchEnd - ScratchStart)
        {
            return false;
        }

        int blocks = BlocksFor(chunks, (long)length * sizeof(T));
        Run(own, kernel.ChunkSums!, length, sizeof(T), DivideUp(chunks, blocks) * DotChunk, chunkSums: true, left, right, ScratchStart);
        result = SumLeftToRight<T>((T*)(guest.Base + ScratchStart), chunks);
        return true;
    }

    /// <summary>Claims and runs blocks of the open call until none are left; on a worker's thread, with its instance's kernels.</summary>
    public void Help(GuestFunction[] kernels) => RunBlocks(kernels, null);

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

    /// <summary>Wakes parked workers if the last call kept to one instance because of them came within the spin window; returns false (this call still keeps to one).</summary>
    private bool NudgeIfStream()
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _lastKeptToOne < s_streamTicks)
        {
            foreach (KernelWorker worker in _workers)
            {
                worker.WakeIfParked();
            }
        }

        _lastKeptToOne = now;
        return false;
    }

    private bool AnyParked()
    {
        foreach (KernelWorker worker in _workers)
        {
            if (worker.IsParked)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>r = +0; r = r + sums[c]</c> for each chunk in order: <c>dot_*</c>'s own combination.</summary>
    private static T SumLeftToRight<T>(T* sums, int count)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float r = 0f;
            for (int i = 0; i < count; i++)
            {
                r += ((float*)sums)[i];
            }

            return Unsafe.As<float, T>(ref r);
        }

        double d = 0d;
        for (int i = 0; i < count; i++)
        {
            d += ((double*)sums)[i];
        }

        return Unsafe.As<double, T>(ref d);
    }

    private static int DivideUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);

    /// <summary>
    /// One block per instance while every worker is awake: equal shares, one claim each. Four per instance when a
    /// worker is parked, so one that wakes late costs a quarter of its share. Never a block under
    /// <see cref="MinBlockBytes"/> per operand, nor more than the <paramref name="units"/> the work divides into.
    /// </summary>
    private int BlocksFor(int units, long bytes)
    {
        long perInstance = AnyParked() ? 4 : 1;
        return (int)Math.Max(1, Math.Min(Math.Min(units, Parallelism * perInstance), bytes / MinBlockBytes));
    }

    /// <summary>Opens a call, wakes parked workers, runs blocks on this thread, waits for every claimed block, and rethrows the first failure.</summary>
    private void Run(GuestFunction own, KernelDescriptor kernel, int length, int elementSize, int blockElements, bool chunkSums, uint p1, uint p2, uint p3)
    {
        long generation = (Volatile.Read(ref _cursor) >> 32) + 1;
        Interlocked.Exchange(ref _cursor, (generation << 32) | Closed);
        (_kernelIndex, _length, _elementSize, _blockElements, _chunkSums) = (kernel.Index, length, elementSize, blockElements, chunkSums);
        (_p1, _p2, _p3) = (p1, p2, p3);
        _blocks = DivideUp(length, blockElements);
        _completed = 0;
        _failure = null;
        Interlocked.Exchange(ref _cursor, generation << 32);
        SplitCalls++;
        foreach (KernelWorker worker in _workers)
        {
            worker.WakeIfParked();
        }

        if (CallerClaims)
        {
            RunBlocks(null, own);
        }

        // Every claimed block must be done before the call returns or throws: the buffers are the caller's again.
        var spin = default(SpinWait);
        while (Volatile.Read(ref _completed) != _blocks)
        {
#if NETCOREAPP3_0_OR_GREATER
            spin.SpinOnce(sleep1Threshold: -1); // a block is microseconds from done: never sleep a whole millisecond
#else
            spin.SpinOnce();
#endif
        }

        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Claims blocks of the open call and runs each with <paramref name="own"/>, or with the kernel of <paramref name="kernels"/> the call names.</summary>
    private void RunBlocks(GuestFunction[]? kernels, GuestFunction? own)
    {
        Span<RawValue> slots = stackalloc RawValue[4];
        while (true)
        {
            long cursor = Volatile.Read(ref _cursor);
            uint next = (uint)cursor;
            if (next == Closed)
            {
                // A call is being written: it opens within nanoseconds, and a worker that left now would miss it.
                Thread.SpinWait(1);
                continue;
            }

            if (next >= (uint)_blocks)
            {
                return;
            }

            // Read the call before claiming: a claim that succeeds proves the cursor, and so the call, did not change.
            GuestFunction function = own ?? kernels![_kernelIndex];
            int start = (int)next * _blockElements;
            int count = Math.Min(_blockElements, _length - start);
            uint offset = (uint)start * (uint)_elementSize;
            uint p3 = _chunkSums ? _p3 + (uint)(start / DotChunk) * (uint)_elementSize : _p3 + offset;
            (uint p1, uint p2) = (_p1 + offset, _p2 + offset);
            if (Interlocked.CompareExchange(ref _cursor, cursor + 1, cursor) != cursor)
            {
                continue;
            }

            if (Volatile.Read(ref _failure) is null)
            {
                try
                {
                    slots[0].I32 = count;
                    slots[1].I32 = unchecked((int)p1);
                    slots[2].I32 = unchecked((int)p2);
                    slots[3].I32 = unchecked((int)p3);
                    function.Invoke(slots);
                }
                catch (Exception ex)
                {
                    // Rethrown by the thread that opened the call, where the module maps it and records its fault.
                    Interlocked.CompareExchange(ref _failure, ex, null);
                }
            }

            Interlocked.Increment(ref _completed);
        }
    }
}
