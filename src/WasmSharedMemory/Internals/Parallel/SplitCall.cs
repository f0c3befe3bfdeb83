using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Kernels;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// The claim protocol of a split call: the open call (its row, its arguments for the whole length, its block size)
/// and the cursor through which the calling thread and the workers claim its blocks, each exactly once.
/// </summary>
/// <remarks>
/// Claims go through one 64-bit cursor: the call's generation and the next block. Opening a call first closes the
/// cursor under the new generation, then writes the call, then opens it; a participant reads the cursor, then the
/// call, then claims with a compare-and-swap on the value it read, so a claim that succeeds is of a block of the call
/// it read, and a block is never claimed twice. A block's arguments come from the whole call's through the row's
/// operands (<see cref="KernelOperand.ForBlock"/>): buffers move to the block's first element, scalars stay.
/// </remarks>
internal sealed class SplitCall
{
    /// <summary>The next-block half of a cursor whose call is being written: no claim succeeds.</summary>
    private const uint Closed = uint.MaxValue;

    // The whole call's arguments (slot 0, n, is replaced per block), reused by every call.
    private readonly RawValue[] _arguments = new RawValue[KernelDescriptor.MaxSlots];

    // (generation << 32) | next block.
    private long _cursor = Closed;

    // The open call, written between closing and opening the cursor.
    private KernelDescriptor? _kernel;
    private int _blocks;
    private int _blockElements;
    private int _length;
    private int _completed;
    private Exception? _failure;

    /// <summary>Gets the generation of the call opened last, which workers wait to change.</summary>
    public int Generation => (int)(Volatile.Read(ref _cursor) >> 32);

    /// <summary>Gets a value indicating whether the call of <paramref name="generation"/> is still open with blocks nobody has claimed.</summary>
    public bool HasUnclaimedBlocks(int generation)
    {
        long cursor = Volatile.Read(ref _cursor);
        return (int)(cursor >> 32) == generation && (uint)cursor < (uint)Volatile.Read(ref _blocks);
    }

    /// <summary>Opens a call of <paramref name="kernel"/> with <paramref name="arguments"/> for all <paramref name="length"/> elements, in blocks of <paramref name="blockElements"/>.</summary>
    public void Open(KernelDescriptor kernel, ReadOnlySpan<RawValue> arguments, int length, int blockElements)
    {
        long generation = (Volatile.Read(ref _cursor) >> 32) + 1;
        Interlocked.Exchange(ref _cursor, (generation << 32) | Closed);
        (_kernel, _length, _blockElements) = (kernel, length, blockElements);
        arguments.Slice(0, kernel.Operands.Length + 1).CopyTo(_arguments);
        _blocks = (int)(((long)length + blockElements - 1) / blockElements);
        _completed = 0;
        _failure = null;
        Interlocked.Exchange(ref _cursor, generation << 32);
    }

    /// <summary>Claims blocks of the open call and runs each with <paramref name="own"/>, or with the kernel of <paramref name="kernels"/> the call names, until none are left.</summary>
    public void RunBlocks(GuestFunction[]? kernels, GuestFunction? own)
    {
        Span<RawValue> slots = stackalloc RawValue[KernelDescriptor.MaxSlots];
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
            KernelDescriptor kernel = _kernel!;
            GuestFunction function = own ?? kernels![kernel.Index];
            int start = (int)next * _blockElements;
            slots[0].I32 = Math.Min(_blockElements, _length - start);
            KernelOperand[] operands = kernel.Operands;
            for (int i = 0; i < operands.Length; i++)
            {
                slots[i + 1] = operands[i].ForBlock(_arguments[i + 1], start, kernel);
            }

            if (Interlocked.CompareExchange(ref _cursor, cursor + 1, cursor) != cursor)
            {
                continue;
            }

            if (Volatile.Read(ref _failure) is null)
            {
                try
                {
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

    /// <summary>Waits until every block of the open call is done (the buffers are the caller's again), then rethrows the first failure.</summary>
    /// <exception cref="Exception">A block failed: the first failure, as the kernel threw it.</exception>
    public void Finish()
    {
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
}
