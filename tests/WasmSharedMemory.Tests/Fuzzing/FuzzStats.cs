using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>What a fuzz run saw, counted from several threads: how many inputs ended in each outcome, the hosts, the longest call, every broken promise.</summary>
/// <typeparam name="TOutcome">The run's outcomes, each a documented result or exception.</typeparam>
internal class FuzzStats<TOutcome>
    where TOutcome : struct, Enum
{
    private static readonly TOutcome[] s_outcomes = Enum.GetValues<TOutcome>();
    private readonly long[] _outcomes = new long[s_outcomes.Length];
    private readonly List<string> _failures = new();
    private long _hosts;
    private long _longestCallTicks;
    private long _rentTimeouts;
    private long _grown;

    /// <summary>Gets how many inputs ended in an outcome (one that broke a promise before it had one is not counted).</summary>
    public long Inputs => s_outcomes.Sum(Outcome);

    /// <summary>Gets how many hosts served requests: the first of each slot, then one per host the pool replaced.</summary>
    public long Hosts => Interlocked.Read(ref _hosts);

    /// <summary>Gets how many rents timed out loading a new host (each rented again: <see cref="PoolRent"/>).</summary>
    public long RentTimeouts => Interlocked.Read(ref _rentTimeouts);

    /// <summary>Gets how many requests left a clean host with more memory than it started with, which a <c>WhenClean</c> pool replaces.</summary>
    public long Grown => Interlocked.Read(ref _grown);

    public TimeSpan LongestCall => TimeSpan.FromTicks(Interlocked.Read(ref _longestCallTicks));

    public TimeSpan Elapsed { get; set; }

    public long WorkingSetBefore { get; set; }

    public long WorkingSetAfter { get; set; }

    /// <summary>Gets every broken promise, one line each with the seed and index that make the input again.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return _failures.ToArray();
            }
        }
    }

    public long Outcome(TOutcome outcome) => Interlocked.Read(ref _outcomes[Convert.ToInt32(outcome)]);

    public void Count(TOutcome outcome, TimeSpan longestCall)
    {
        Interlocked.Increment(ref _outcomes[Convert.ToInt32(outcome)]);
        long ticks = longestCall.Ticks;
        for (long seen = Interlocked.Read(ref _longestCallTicks); ticks > seen; seen = Interlocked.Read(ref _longestCallTicks))
        {
            Interlocked.CompareExchange(ref _longestCallTicks, ticks, seen);
        }
    }

    public void CountHost() => Interlocked.Increment(ref _hosts);

    public void CountGrown() => Interlocked.Increment(ref _grown);

    public void CountRentTimeout() => Interlocked.Increment(ref _rentTimeouts);

    public void Fail(string failure)
    {
        lock (_failures)
        {
            // The first few say what broke; thousands more would only bury them.
            if (_failures.Count < 20)
            {
                _failures.Add(failure);
            }
        }
    }

    /// <summary>Every outcome with its count, in the enum's order: <c>Result 1,234, Trap 5, …</c>.</summary>
    public string Outcomes() => string.Join(", ", s_outcomes.Select(o => $"{o} {Outcome(o):N0}"));

    public override string ToString() =>
        $"{Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9):N0} inputs/s): {Outcomes()}; "
        + $"{Hosts:N0} hosts ({Grown:N0} requests grew memory), {RentTimeouts:N0} rents timed out loading one, longest call {LongestCall.TotalMilliseconds:F1} ms";
}
