using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// A WASI <c>poll_oneoff</c> sleep of a year under a limit: <c>timeout</c> (a 1 s CallTimeout), <c>token</c> (the
/// delegate's token, canceled after 100 ms), <c>start-timeout</c>/<c>start-token</c> (in the start function, under
/// CallTimeout or the load's token). Prints <c>thrown: ExceptionType</c> and <c>ms: elapsed</c> (of the call, or of
/// the whole load for the start function).
/// </summary>
internal static class WasiSleepProbe
{
    private const long Year = 365L * 24 * 3600 * 1_000_000_000;

    public static int Run(string[] args)
    {
        string limit = args[0];
        using var cancellation = new CancellationTokenSource();
        var options = new WasmHostOptions();
        if (limit.EndsWith("timeout", StringComparison.Ordinal))
        {
            // A second: a cold child process may spend a few hundred milliseconds of it loading, which counts too.
            options.CallTimeout = TimeSpan.FromSeconds(1);
        }
        else
        {
            // A day-long CallTimeout only makes the host interruptible, which a token needs.
            options.CallTimeout = TimeSpan.FromDays(1);
            options.LoadCancellationToken = cancellation.Token;
        }

        var watch = Stopwatch.StartNew();
        try
        {
            if (limit.StartsWith("start", StringComparison.Ordinal))
            {
                // The start function reports in just before it sleeps: compiling the module in a cold process must not
                // use up the limit before the sleep begins.
                options.Imports.Define("env", "started", () =>
                {
                    watch.Restart();
                    cancellation.CancelAfter(100);
                });
                string module = HostModules.Module(
                    HostModules.CMalloc,
                    WasiPollModule.Exports + $"(func $start (call $started) (drop (call $sleep (i64.const {Year})))) (start $start)",
                    imports: WasiPollModule.Imports + """(import "env" "started" (func $started))""");
                using WasmHost loaded = WasmHost.FromText(module, options: options);
            }
            else
            {
                using WasmHost host = WasmHost.FromText(WasiPollModule.Text, options: options);
                Func<long, int> sleep = host.GetFunction<long, int>("sleep", limit == "token" ? cancellation.Token : CancellationToken.None);
                watch.Restart();
                cancellation.CancelAfter(100);
                sleep(Year);
            }

            Console.WriteLine("thrown: nothing");
        }
        catch (Exception ex)
        {
            Console.WriteLine($"thrown: {(ex is OperationCanceledException ? nameof(OperationCanceledException) : ex.GetType().Name)}");
            Console.WriteLine($"message: {ex.Message}");
        }

        Console.WriteLine($"ms: {watch.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}");
        return 0;
    }
}
