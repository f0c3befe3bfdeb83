using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Tests.Fuzz;

/// <summary>A model check failed: the message says which step and what differed.</summary>
internal sealed class FuzzFailure : Exception
{
    public FuzzFailure(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Runs one <see cref="FuzzCase"/> against a fresh module and a model of it, and checks after every step that
/// the two agree: every live buffer holds exactly what the model wrote, no two live blocks overlap, the live
/// counters match, memory only grows and stays under its limit, and every misuse threw what the docs promise.
/// </summary>
internal sealed class FuzzRun : IDisposable
{
    /// <summary>How far under the limit an allocation may still fail: the guest allocator grows memory in 64 KiB pages and pads requests.</summary>
    private const long OutOfMemorySlack = 256 << 10;

    private const int DisposedKept = 32;

    [ThreadStatic]
    private static long t_expectedExceptions;

    private readonly ModuleVariant _variant;
    private readonly int _parallelism;
    private readonly Func<ISharedMemoryModule, ISharedMemoryModule> _track;
    private readonly long _limit;
    private readonly FuzzStats _stats = new();
    private readonly ISharedMemoryModule _module;
    private readonly List<TrackedBuffer> _live = new();
    private readonly List<TrackedBuffer> _disposed = new();
    private readonly GuestHeap _heap;
    private readonly GuestExport<int, int, None, None, None, None, None, None, int> _guestAlloc;
    private ISharedMemoryModule? _foreign;
    private long _memoryBytes;
    private int _nextId;

    private FuzzRun(ModuleVariant variant, int parallelism, long limit, Func<ISharedMemoryModule, ISharedMemoryModule> track)
    {
        _variant = variant;
        _parallelism = parallelism;
        _track = track;
        _limit = limit;
        _module = track(ParallelTuning.SplitEverything(SharedMemoryModule.Load(variant, new SharedMemoryOptions { MaxMemoryBytes = limit, Parallelism = parallelism })));
        _memoryBytes = _module.MemoryBytes;

        // Adopt is WasmHost's, a thin face over the heap; the kernel module's heap is the same one, and its
        // wsm_alloc export, called directly, hands out blocks the heap never saw, as a guest's own code would.
        GuestInstance guest = _module.Host.Guest;
        _heap = guest.Heap;
        _guestAlloc = new GuestExport<int, int, None, None, None, None, None, None, int>(guest, AllocatorContract.WasmSharedMemory.AllocExport, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="fuzzCase"/> and adds its counts to <paramref name="stats"/>; throws <see cref="FuzzFailure"/> at the first disagreement.</summary>
    public static void Run(ModuleVariant variant, int parallelism, FuzzCase fuzzCase, FuzzStats stats, Func<ISharedMemoryModule, ISharedMemoryModule> track)
    {
        t_expectedExceptions = 0;
        using var run = new FuzzRun(variant, parallelism, fuzzCase.MaxMemoryBytes, track);
        for (int i = 0; i < fuzzCase.Steps.Length; i++)
        {
            FuzzStep step = fuzzCase.Steps[i];
            try
            {
                run.Apply(step);
                run.CheckInvariants();
            }
            catch (Exception ex)
            {
                throw new FuzzFailure($"{variant}, step {i} {step}: {ex.GetType().Name}: {ex.Message}", ex);
            }
        }

        try
        {
            run.Finish(fuzzCase.DisposeModuleFirst);
        }
        catch (Exception ex)
        {
            throw new FuzzFailure($"{variant}, at the end ({(fuzzCase.DisposeModuleFirst ? "module disposed first" : "buffers disposed first")}): {ex.GetType().Name}: {ex.Message}", ex);
        }

        run._stats.Sequences = 1;
        run._stats.Steps = fuzzCase.Steps.Length;
        run._stats.DocumentedExceptions = t_expectedExceptions;
        stats.Add(run._stats);
    }

    /// <summary>Runs <paramref name="action"/> and returns the exception it threw if it is exactly <typeparamref name="TException"/>; fails otherwise.</summary>
    public static TException Expect<TException>(Action action, string what)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not FuzzFailure)
        {
            if (ex.GetType() != typeof(TException))
            {
                throw new FuzzFailure($"{what} threw {ex.GetType().Name} ({ex.Message}); the documented exception is {typeof(TException).Name}.", ex);
            }

            t_expectedExceptions++;
            return (TException)ex;
        }

        throw new FuzzFailure($"{what} did not throw; the documented exception is {typeof(TException).Name}.");
    }

    public static TException Expect<TException>(Func<object?> function, string what)
        where TException : Exception =>
        Expect<TException>(() => { _ = function(); }, what);

    /// <summary>Releases everything, also after a failed step, so a failure is not reported a second time as a leak.</summary>
    public void Dispose()
    {
        _module.Dispose();
        _foreign?.Dispose();
        foreach (TrackedBuffer buffer in _live)
        {
            buffer.Dispose();
        }

        _live.Clear();
    }

    private void Apply(FuzzStep step)
    {
        switch (step.Op)
        {
            case FuzzOp.Allocate:
                TryAllocate(step.Kind, step.Length);
                break;
            case FuzzOp.Write:
                if (Pick(_live, step.Pick) is { } written)
                {
                    written.Write(step.Seed, step.Mode, step.Length);
                    _stats.Writes++;
                }

                break;
            case FuzzOp.Multiply:
                Multiply(step);
                break;
            case FuzzOp.Read:
                if (Pick(_live, step.Pick) is { } read)
                {
                    read.Read(step.Mode, step.Length);
                    _stats.Reads++;
                }

                break;
            case FuzzOp.Dispose:
                if (Pick(_live, step.Pick) is { } disposed)
                {
                    disposed.Dispose();
                    _live.Remove(disposed);
                    _disposed.Add(disposed);
                    if (_disposed.Count > DisposedKept)
                    {
                        _disposed.RemoveAt(0);
                    }

                    _stats.Disposes++;
                }

                break;
            case FuzzOp.DisposeTwice:
                if (Pick(_disposed, step.Pick) is { } again)
                {
                    again.DisposeAgain();
                    _stats.DoubleDisposes++;
                }

                break;
            case FuzzOp.UseAfterDispose:
                UseAfterDispose(step);
                break;
            case FuzzOp.Adopt:
                if (TrackedBuffer.Adopt(_heap, GuestAlloc, _nextId++, step.Kind, step.Length) is { } adopted)
                {
                    _live.Add(adopted);
                    _stats.Adoptions++;
                }

                break;
            default:
                Misuse(step);
                break;
        }
    }

    private int GuestAlloc(int bytes, int alignment) => _guestAlloc.Call(bytes, alignment, default, default, default, default, default, default);

    private static TrackedBuffer? Pick(List<TrackedBuffer> buffers, int pick) => buffers.Count == 0 ? null : buffers[pick % buffers.Count];

    private TrackedBuffer? TryAllocate(ElementKind kind, int length)
    {
        long bytes = (long)length * ElementKinds.Size(kind);
        try
        {
            TrackedBuffer buffer = TrackedBuffer.Allocate(_module.Host, _nextId++, kind, length);
            _live.Add(buffer);
            _stats.Allocations++;
            _stats.AllocatedBytes += bytes;
            return buffer;
        }
        catch (WasmOutOfMemoryException ex)
        {
            if (ex.RequestedBytes != bytes)
            {
                throw new FuzzFailure($"WasmOutOfMemoryException.RequestedBytes is {ex.RequestedBytes}, not the {bytes} bytes asked for.");
            }

            long memory = _module.MemoryBytes;
            if (memory + bytes + OutOfMemorySlack <= _limit)
            {
                throw new FuzzFailure($"Allocating {bytes} bytes ran out of memory with {memory} of {_limit} bytes in use: memory could have grown to fit it.");
            }

            _stats.OutOfMemory++;
            return null;
        }
    }

    private TrackedBuffer<T>? Fresh<T>(ElementKind kind, int length, int seed)
        where T : unmanaged
    {
        var buffer = (TrackedBuffer<T>?)TryAllocate(kind, length);
        buffer?.Write(seed, 1, 0);
        return buffer;
    }

    private List<TrackedBuffer<T>> Live<T>(ElementKind kind)
        where T : unmanaged =>
        _live.OfType<TrackedBuffer<T>>().Where(b => b.Kind == kind).ToList();

    private void Multiply(FuzzStep step)
    {
        switch (step.Kind)
        {
            case ElementKind.Byte or ElementKind.Int32:
                Multiply(ElementKind.Int32, step, Pick(KernelCases.ElementWise<int>(), step));
                break;
            case ElementKind.Double:
                Kernel(ElementKind.Double, step, KernelCases.ElementWise<double>(), KernelCases.Scales<double>());
                break;
            default:
                Kernel(ElementKind.Single, step, KernelCases.ElementWise<float>(), KernelCases.Scales<float>());
                break;
        }
    }

    // The element-wise and the scale kernels of an element type take turns, picked by the mode's spare bits.
    private void Kernel<T>(ElementKind kind, FuzzStep step, ElementWiseCase<T>[] elementWise, ScaleCase<T>[] scales)
        where T : unmanaged
    {
        int pick = (step.Mode / 5) % (elementWise.Length + scales.Length);
        if (pick < elementWise.Length)
        {
            Multiply(kind, step, elementWise[pick]);
        }
        else
        {
            Scale(kind, step, scales[pick - elementWise.Length]);
        }
    }

    private void Scale<T>(ElementKind kind, FuzzStep step, ScaleCase<T> kernel)
        where T : unmanaged
    {
        List<TrackedBuffer<T>> candidates = Live<T>(kind);
        TrackedBuffer<T>? source = candidates.Count > 0 ? candidates[step.Pick % candidates.Count] : Fresh<T>(kind, step.Length, step.Seed);
        if (source is null)
        {
            return;
        }

        // In place on even modes; otherwise a live buffer of the same length, or a fresh one.
        TrackedBuffer<T>? destination = step.Mode % 2 == 0
            ? source
            : candidates.FirstOrDefault(b => b != source && b.Length == source.Length) ?? Fresh<T>(kind, source.Length, step.Seed + 1);
        if (destination is null)
        {
            return; // it could not be allocated under the limit
        }

        T factor = kernel.Factors[(step.Seed & int.MaxValue) % kernel.Factors.Length];
        T[] expected = kernel.Expected(source.Expected, factor);
        kernel.Run(_module, source.Buffer, factor, destination.Buffer);
        destination.AcceptProduct(expected, $"{kernel}({source}, {factor}, {destination})");
        _stats.Multiplies++;
        if (destination == source)
        {
            _stats.InPlaceMultiplies++;
        }
    }

    // Every element-wise kernel of the table takes a turn: the mode's spare bits pick one.
    private static ElementWiseCase<T> Pick<T>(ElementWiseCase<T>[] kernels, FuzzStep step)
        where T : unmanaged => kernels[(step.Mode / 5) % kernels.Length];

    private void Multiply<T>(ElementKind kind, FuzzStep step, ElementWiseCase<T> kernel)
        where T : unmanaged
    {
        List<TrackedBuffer<T>> candidates = Live<T>(kind);
        TrackedBuffer<T>? left = candidates.Count > 0 ? candidates[step.Pick % candidates.Count] : Fresh<T>(kind, step.Length, step.Seed);
        if (left is null)
        {
            return;
        }

        // Partners of the same length: reuse live ones where they exist, else allocate them.
        var partners = candidates.Where(b => b != left && b.Length == left.Length).ToList();
        int next = step.Seed;
        TrackedBuffer<T>? Partner() =>
            partners.Count > 0 ? Take(partners, next++) : Fresh<T>(kind, left.Length, next++);

        TrackedBuffer<T>? right, destination;
        switch (step.Mode % 5)
        {
            case 0:
                right = Partner();
                destination = right is null ? null : Partner();
                break;
            case 1:
                right = Partner();
                destination = left;
                break;
            case 2:
                right = Partner();
                destination = right;
                break;
            case 3:
                right = destination = left;
                break;
            default:
                right = left;
                destination = Partner();
                break;
        }

        if (right is null || destination is null)
        {
            return; // an operand could not be allocated under the limit
        }

        T[] expected = kernel.Expected(left.Expected, right.Expected);
        kernel.Run(_module, left.Buffer, right.Buffer, destination.Buffer);
        destination.AcceptProduct(expected, $"{kernel}({left}, {right}, {destination})");
        _stats.Multiplies++;
        if (destination == left || destination == right)
        {
            _stats.InPlaceMultiplies++;
        }

        static TrackedBuffer<T> Take(List<TrackedBuffer<T>> from, int pick)
        {
            TrackedBuffer<T> taken = from[(pick & int.MaxValue) % from.Count];
            from.Remove(taken);
            return taken;
        }
    }

    private void UseAfterDispose(FuzzStep step)
    {
        if (Pick(_disposed, step.Pick) is not { } disposed)
        {
            return;
        }

        disposed.CheckEveryMemberThrowsDisposed(moduleDisposed: false);
        switch (disposed)
        {
            case TrackedBuffer<int> i:
                MultiplyWithDisposed(i, step, _module.Multiply);
                break;
            case TrackedBuffer<float> f:
                MultiplyWithDisposed(f, step, _module.Multiply);
                break;
            case TrackedBuffer<double> d:
                MultiplyWithDisposed(d, step, _module.Multiply);
                break;
        }

        _stats.UsesAfterDispose++;
    }

    private void MultiplyWithDisposed<T>(TrackedBuffer<T> disposed, FuzzStep step, Action<WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>> kernel)
        where T : unmanaged
    {
        // The disposed operand must be refused before anything is written to the live one.
        List<TrackedBuffer<T>> live = Live<T>(disposed.Kind);
        WasmBuffer<T> other = live.Count > 0 ? live[step.Pick % live.Count].Buffer : disposed.Buffer;
        WasmBuffer<T> gone = disposed.Buffer;
        switch (step.Mode % 3)
        {
            case 0:
                Expect<ObjectDisposedException>(() => kernel(gone, other, other), $"Multiply(disposed {disposed}, live, live)");
                break;
            case 1:
                Expect<ObjectDisposedException>(() => kernel(other, gone, other), $"Multiply(live, disposed {disposed}, live)");
                break;
            default:
                Expect<ObjectDisposedException>(() => kernel(other, other, gone), $"Multiply(live, live, disposed {disposed})");
                break;
        }
    }

    private void Misuse(FuzzStep step)
    {
        int mode = step.Mode % 12;
        switch (mode)
        {
            case 0:
                int negative = -1 - (step.Length % 1000);
                Expect<ArgumentOutOfRangeException>(() => AllocateUnchecked(step.Kind, negative), $"Allocate<{step.Kind}>({negative})");
                break;
            case 1:
                ElementKind wide = step.Kind == ElementKind.Byte ? ElementKind.Double : step.Kind;
                int tooMany = (int)Math.Min(int.MaxValue, ((long)uint.MaxValue / ElementKinds.Size(wide)) + 1 + (step.Length % 1000));
                Expect<ArgumentOutOfRangeException>(() => AllocateUnchecked(wide, tooMany), $"Allocate<{wide}>({tooMany}), over 4 GiB");
                break;
            case 2:
                int overLimit = (int)(_limit + 1 + (step.Length % 4096));
                var oom = Expect<WasmOutOfMemoryException>(() => AllocateUnchecked(ElementKind.Byte, overLimit), $"Allocate<byte>({overLimit}) over the {_limit}-byte limit");
                if (oom.RequestedBytes != overLimit || _module.IsFaulted)
                {
                    throw new FuzzFailure($"An allocation over the limit reported {oom.RequestedBytes} bytes requested, or faulted the module.");
                }

                _stats.LimitHits++;
                break;
            case 3 or 4 or 5 or 11:
                if (Pick(_live, step.Pick) is { } buffer)
                {
                    buffer.Misuse(mode == 11 ? 3 : mode - 3, step.Seed);
                }

                break;
            case 9:
                MisuseAdopt(step);
                break;
            case 10: // a block a live buffer owns, or part of one: refused, the owner untouched (the invariants check it)
                if (_live.Where(b => b.ByteLength > 0).ToList() is { Count: > 0 } owners)
                {
                    TrackedBuffer owner = owners[step.Pick % owners.Count];
                    uint inside = owner.Address + (uint)(step.Seed % owner.ByteLength);
                    long room = Math.Min(64, owner.Address + owner.ByteLength - inside); // stay inside the owner, so only the overlap is wrong
                    int length = 1 + (int)(step.Length % room);
                    Expect<ArgumentException>(() => _heap.Adopt<byte>(inside, length), $"Adopt<byte>(0x{inside:X8}, {length}) inside live {owner}");
                }

                break;
            default:
                switch (step.Kind)
                {
                    case ElementKind.Byte or ElementKind.Int32:
                        MisuseMultiply<int>(ElementKind.Int32, step, mode, _module.Multiply, m => m.Multiply);
                        break;
                    case ElementKind.Double:
                        MisuseMultiply<double>(ElementKind.Double, step, mode, _module.Multiply, m => m.Multiply);
                        break;
                    default:
                        MisuseMultiply<float>(ElementKind.Single, step, mode, _module.Multiply, m => m.Multiply);
                        break;
                }

                break;
        }

        _stats.Misuses++;
    }

    /// <summary>Adopting the null address, a misaligned one, or a block that ends past memory: refused without faulting.</summary>
    private void MisuseAdopt(FuzzStep step)
    {
        uint memory = (uint)_module.MemoryBytes;
        switch (step.Seed % 3)
        {
            case 0:
                Expect<ArgumentException>(() => _heap.Adopt<int>(0, step.Length), $"Adopt<int>(0, {step.Length})");
                break;
            case 1:
                uint misaligned = (uint)(1 + (2 * (step.Pick % (memory / 2 - 1)))); // odd, so misaligned for every kind but byte
                Expect<ArgumentException>(() => _heap.Adopt<double>(misaligned, 1), $"Adopt<double>(0x{misaligned:X8}, 1)");
                break;
            default:
                uint near = memory - (4 * (uint)(step.Pick % 64)); // 4-aligned, within 256 bytes of the end
                int length = (int)((memory - near) / 4) + 1 + (step.Length % 16);
                Expect<ArgumentOutOfRangeException>(() => _heap.Adopt<float>(near, length), $"Adopt<float>(0x{near:X8}, {length}), past the {memory} bytes of memory");
                break;
        }
    }

    private void MisuseMultiply<T>(
        ElementKind kind,
        FuzzStep step,
        int mode,
        Action<WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>> kernel,
        Func<ISharedMemoryModule, Action<WasmBuffer<T>, WasmBuffer<T>, WasmBuffer<T>>> kernelOf)
        where T : unmanaged
    {
        List<TrackedBuffer<T>> candidates = Live<T>(kind);
        TrackedBuffer<T>? left = candidates.Count > 0 ? candidates[step.Pick % candidates.Count] : Fresh<T>(kind, step.Length, step.Seed);
        if (left is null)
        {
            return;
        }

        WasmBuffer<T> a = left.Buffer;
        switch (mode)
        {
            case 6: // lengths differ: refused, nothing written (the invariant check compares every live buffer with the model)
                if (Fresh<T>(kind, left.Length + 1 + (step.Seed % 3), step.Seed) is { } longer)
                {
                    WasmBuffer<T> b = longer.Buffer;
                    Expect<ArgumentException>(() => kernel(a, b, a), $"Multiply({left}, {longer}, {left})");
                    Expect<ArgumentException>(() => kernel(a, a, b), $"Multiply({left}, {left}, {longer})");
                }

                break;
            case 7: // a buffer of another module, passed either way
                _foreign ??= _track(SharedMemoryModule.Load(_variant, new SharedMemoryOptions { Parallelism = _parallelism }));
                var theirs = TrackedBuffer.Allocate(_foreign.Host, -1, kind, left.Length);
                try
                {
                    theirs.Write(step.Seed, 1, 0);
                    WasmBuffer<T> f = ((TrackedBuffer<T>)theirs).Buffer;
                    Expect<ArgumentException>(() => kernel(a, f, a), $"Multiply({left}, foreign {theirs}, {left})");
                    Expect<ArgumentException>(() => kernelOf(_foreign)(f, a, f), $"foreign.Multiply(foreign {theirs}, {left}, foreign)");
                    theirs.CheckIntact();
                }
                finally
                {
                    theirs.Dispose();
                }

                if (_foreign.LiveBuffers != 0 || _foreign.LiveBytes != 0)
                {
                    throw new FuzzFailure($"The foreign module counts {_foreign.LiveBuffers} live buffers after its only one was disposed.");
                }

                break;
            default:
                Expect<ArgumentNullException>(() => kernel(a, null!, a), $"Multiply({left}, null, {left})");
                break;
        }
    }

    private object AllocateUnchecked(ElementKind kind, int length)
    {
        // Only reached when the allocation wrongly succeeded; don't leave the block behind.
        TrackedBuffer buffer = ElementKinds.Allocate(ElementKinds.From(_module.Host), -1, kind, length);
        buffer.Dispose();
        return buffer;
    }

    private void CheckInvariants()
    {
        if (_module.IsFaulted)
        {
            throw new FuzzFailure("The module is faulted, though nothing in a fuzz sequence may fault it.");
        }

        long liveBytes = 0;
        foreach (TrackedBuffer buffer in _live)
        {
            liveBytes += buffer.ByteLength;
        }

        if (_module.LiveBuffers != _live.Count || _module.LiveBytes != liveBytes)
        {
            throw new FuzzFailure($"The module counts {_module.LiveBuffers} live buffers of {_module.LiveBytes} bytes; the model has {_live.Count} of {liveBytes}.");
        }

        long memory = _module.MemoryBytes;
        if (memory < _memoryBytes || memory > _limit)
        {
            throw new FuzzFailure($"Linear memory went from {_memoryBytes} to {memory} bytes under a {_limit}-byte limit.");
        }

        if (memory > _memoryBytes)
        {
            _stats.Growths++;
            _memoryBytes = memory;
        }

        _stats.MaxMemoryBytes = Math.Max(_stats.MaxMemoryBytes, memory);
        _stats.MaxLiveBytes = Math.Max(_stats.MaxLiveBytes, liveBytes);
        _stats.MaxLiveBuffers = Math.Max(_stats.MaxLiveBuffers, _live.Count);

        foreach (TrackedBuffer buffer in _live)
        {
            buffer.CheckIntact();
            if (buffer.Address == 0 || buffer.Address % ElementKinds.Alignment(buffer.Kind) != 0 || buffer.Address + buffer.ByteLength > memory)
            {
                throw new FuzzFailure($"{buffer} is at an address that is zero, misaligned or past the {memory} bytes of memory.");
            }
        }

        TrackedBuffer? previous = null;
        foreach (TrackedBuffer buffer in _live.Where(b => b.ByteLength > 0).OrderBy(b => b.Address))
        {
            if (previous is not null && previous.Address + previous.ByteLength > buffer.Address)
            {
                throw new FuzzFailure($"Live buffers {previous} and {buffer} overlap.");
            }

            previous = buffer;
        }

        foreach (TrackedBuffer buffer in _disposed)
        {
            if (!buffer.IsDisposed)
            {
                throw new FuzzFailure($"{buffer} no longer reports IsDisposed.");
            }
        }
    }

    private void Finish(bool disposeModuleFirst)
    {
        if (disposeModuleFirst)
        {
            _module.Dispose();
            if (_module.LiveBuffers != 0 || _module.LiveBytes != 0)
            {
                throw new FuzzFailure($"After the module was disposed it still counts {_module.LiveBuffers} live buffers of {_module.LiveBytes} bytes.");
            }

            Expect<ObjectDisposedException>(() => _module.Allocate<int>(1), "Allocate on a disposed module");
            Expect<ObjectDisposedException>(() => _module.MemoryBytes, "MemoryBytes of a disposed module");
            foreach (TrackedBuffer buffer in _live)
            {
                buffer.CheckEveryMemberThrowsDisposed(moduleDisposed: true);
                buffer.Dispose(); // must not call into the dead store
                buffer.DisposeAgain();
            }
        }
        else
        {
            foreach (TrackedBuffer buffer in _live)
            {
                buffer.Dispose();
            }
        }

        _live.Clear();
        if (_module.LiveBuffers != 0 || _module.LiveBytes != 0)
        {
            throw new FuzzFailure($"After every buffer was disposed the module still counts {_module.LiveBuffers} live buffers of {_module.LiveBytes} bytes.");
        }

        _module.Dispose();
        _stats.ModuleDisposedFirst += disposeModuleFirst ? 1 : 0;
    }
}
