// Measures how long a runaway export runs past WasmHostOptions.CallTimeout before it is stopped:
// for each timeout, load a host, call an export that loops forever, time until TimeoutException.
using System;
using System.Diagnostics;
using System.Linq;
using WasmSharedMemory;

const string Wat = """
    (module
      (memory (export "memory") 1)
      (func (export "malloc") (param i32) (result i32) (i32.const 1024))
      (func (export "free") (param i32))
      (func (export "spin") (loop $forever (br $forever))))
    """;
int runs = args.Length > 0 ? int.Parse(args[0]) : 30;

Console.WriteLine($"{runs} runs per timeout; interrupt check interval {WasmHost.InterruptCheckInterval.TotalMilliseconds} ms");
Console.WriteLine("| CallTimeout | stopped after: min | median | p95 | max | max / timeout |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (int timeoutMs in new[] { 10, 50, 100, 500 })
{
    var options = new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(timeoutMs) };
    double[] stopped = new double[runs];
    for (int run = 0; run < runs; run++)
    {
        using WasmHost host = WasmHost.FromText(Wat, options: options);
        Action spin = host.GetAction("spin");
        long start = Stopwatch.GetTimestamp();
        try
        {
            spin();
            throw new InvalidOperationException("spin returned");
        }
        catch (TimeoutException)
        {
            stopped[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }

    Array.Sort(stopped);
    Console.WriteLine(
        $"| {timeoutMs} ms | {stopped[0]:F1} ms | {stopped[runs / 2]:F1} ms | {stopped[(int)(runs * 0.95)]:F1} ms | {stopped[^1]:F1} ms | {stopped[^1] / timeoutMs:F2} |");
}
