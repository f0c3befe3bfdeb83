using System;
using System.Globalization;

namespace WasmSharedMemory.Tests.Fuzz;

/// <summary>What the fuzzer did, summed over sequences: the figures docs/reliability.md reports.</summary>
internal sealed class FuzzStats
{
    private readonly object _gate = new();

    public long Sequences { get; set; }

    public long Steps { get; set; }

    public long Allocations { get; set; }

    public long AllocatedBytes { get; set; }

    public long OutOfMemory { get; set; }

    public long LimitHits { get; set; }

    public long Adoptions { get; set; }

    public long Writes { get; set; }

    public long Reads { get; set; }

    public long Multiplies { get; set; }

    public long InPlaceMultiplies { get; set; }

    public long Disposes { get; set; }

    public long DoubleDisposes { get; set; }

    public long UsesAfterDispose { get; set; }

    public long Misuses { get; set; }

    public long DocumentedExceptions { get; set; }

    public long Growths { get; set; }

    public long ModuleDisposedFirst { get; set; }

    public long MaxMemoryBytes { get; set; }

    public long MaxLiveBytes { get; set; }

    public long MaxLiveBuffers { get; set; }

    /// <summary>Gets the steps run so far; safe to read while other threads add.</summary>
    public long StepsSoFar
    {
        get
        {
            lock (_gate)
            {
                return Steps;
            }
        }
    }

    public void Add(FuzzStats run)
    {
        lock (_gate)
        {
            Sequences += run.Sequences;
            Steps += run.Steps;
            Allocations += run.Allocations;
            AllocatedBytes += run.AllocatedBytes;
            OutOfMemory += run.OutOfMemory;
            LimitHits += run.LimitHits;
            Adoptions += run.Adoptions;
            Writes += run.Writes;
            Reads += run.Reads;
            Multiplies += run.Multiplies;
            InPlaceMultiplies += run.InPlaceMultiplies;
            Disposes += run.Disposes;
            DoubleDisposes += run.DoubleDisposes;
            UsesAfterDispose += run.UsesAfterDispose;
            Misuses += run.Misuses;
            DocumentedExceptions += run.DocumentedExceptions;
            Growths += run.Growths;
            ModuleDisposedFirst += run.ModuleDisposedFirst;
            MaxMemoryBytes = Math.Max(MaxMemoryBytes, run.MaxMemoryBytes);
            MaxLiveBytes = Math.Max(MaxLiveBytes, run.MaxLiveBytes);
            MaxLiveBuffers = Math.Max(MaxLiveBuffers, run.MaxLiveBuffers);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Format(
                CultureInfo.InvariantCulture,
                "{0:N0} steps in {1:N0} sequences: {2:N0} allocations ({3:N0} bytes), {20:N0} guest-allocated blocks adopted, {4:N0} out-of-memory at the limit, {5:N0} over-limit requests refused, " +
                "{6:N0} writes, {7:N0} reads, {8:N0} multiplies ({9:N0} in place), {10:N0} disposes, {11:N0} double disposes, {12:N0} uses after dispose, " +
                "{13:N0} misuses, {14:N0} documented exceptions checked, {15:N0} memory growths (largest {16:N0} bytes), at most {17:N0} live buffers / {18:N0} live bytes, " +
                "{19:N0} sequences disposed the module before its buffers.",
                Steps, Sequences, Allocations, AllocatedBytes, OutOfMemory, LimitHits, Writes, Reads, Multiplies, InPlaceMultiplies, Disposes, DoubleDisposes,
                UsesAfterDispose, Misuses, DocumentedExceptions, Growths, MaxMemoryBytes, MaxLiveBuffers, MaxLiveBytes, ModuleDisposedFirst, Adoptions);
        }
    }
}
