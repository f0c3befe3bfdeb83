using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// When a parallel module splits a call and into how many blocks: from the bytes per operand, the measured
/// thresholds (<see cref="SplitThresholds"/>) and whether a worker is parked. Only the thread inside the module's
/// guarded call reads or changes it.
/// </summary>
internal sealed class SplitPolicy
{
    private static readonly long s_streamTicks = (long)(KernelWorker.SpinWindow.TotalSeconds * Stopwatch.Frequency);

    private readonly KernelWorker[] _workers;

    // When a call last kept to one instance because a worker was parked.
    private long _lastKeptToOne = long.MinValue / 2;

    /// <summary>A policy over <paramref name="workers"/>, the crew's (filled in as they start).</summary>
    public SplitPolicy(KernelWorker[] workers) => _workers = workers;

    /// <summary>Gets or sets the bytes per operand from which a call splits while the workers are awake; a measured default.</summary>
    public long MinSplitBytes { get; set; } = SplitThresholds.AwakeBytes;

    /// <summary>Gets or sets the bytes per operand from which a call wakes parked workers to split.</summary>
    public long MinWakeBytes { get; set; } = SplitThresholds.ParkedBytes;

    /// <summary>Gets or sets the smallest block per operand: each block is a call into wasm and a claim on a shared cache line.</summary>
    public long MinBlockBytes { get; set; } = SplitThresholds.MinBlockBytes;

    /// <summary>Gets the number of instances a call may run on: the workers and the module's own.</summary>
    public int Parallelism => _workers.Length + 1;

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

    /// <summary>
    /// One block per instance while every worker is awake: equal shares, one claim each. Four per instance when a
    /// worker is parked, so one that wakes late costs a quarter of its share. Never a block under
    /// <see cref="MinBlockBytes"/> per operand, nor more than the <paramref name="units"/> the work divides into.
    /// </summary>
    public int BlocksFor(int units, long bytes)
    {
        long perInstance = AnyParked() ? 4 : 1;
        return (int)Math.Max(1, Math.Min(Math.Min(units, Parallelism * perInstance), bytes / MinBlockBytes));
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
}
