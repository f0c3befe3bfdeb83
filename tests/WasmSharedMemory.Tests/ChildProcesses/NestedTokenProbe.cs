using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// An outer call with no limit that matters (a day-long CallTimeout, which makes the host interruptible, as a token
/// needs) whose host function calls <c>spin()</c> through a delegate bound with a token that is canceled 100 ms later.
/// Prints <c>thrown:</c>, <c>faulted:</c> and <c>ms:</c>; a regression runs until the test kills it.
/// </summary>
internal static class NestedTokenProbe
{
    public static int Run(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        WasmHost? host = null;
        var options = new WasmHostOptions { CallTimeout = TimeSpan.FromDays(1) };
        options.Imports.Define("env", "step", (int i) =>
        {
            cancellation.CancelAfter(100);
            host!.GetAction("spin", cancellation.Token)();
        });
        options.Imports.Define("env", "down", (int n) => n);
        using (host = WasmHost.FromText(NestedCallTests.Text, options: options))
        {
            var watch = Stopwatch.StartNew();
            try
            {
                host.GetAction<int>("each")(1);
                Console.WriteLine("thrown: nothing");
            }
            catch (Exception ex)
            {
                Console.WriteLine($"thrown: {(ex is OperationCanceledException ? nameof(OperationCanceledException) : ex.GetType().Name)}");
                Console.WriteLine($"message: {ex.Message}");
            }

            Console.WriteLine($"ms: {watch.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"faulted: {host.IsFaulted}");
        }

        return 0;
    }
}
