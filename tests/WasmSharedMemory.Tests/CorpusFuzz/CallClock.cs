using System;
using System.Diagnostics;

namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>Times each guest call of a request (<see cref="Start"/> before, <see cref="Stop"/> after, or in the handler of what it threw); keeps the longest.</summary>
internal sealed class CallClock
{
    private long _started = Stopwatch.GetTimestamp();

    public TimeSpan Longest { get; private set; }

    public void Start() => _started = Stopwatch.GetTimestamp();

    public void Stop()
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(_started);
        Longest = elapsed > Longest ? elapsed : Longest;
    }
}
