using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// A WASI sleep under more nested tokens than <see cref="WaitHandle.WaitAny(WaitHandle[], int)"/> takes (issue 27, class
/// 9): <c>Modules/nested_sleep.wat</c> nested <c>depth</c> levels deep (argument, default 70), each with a cancelable
/// token, on a 16 MiB thread with <c>WasmSharedMemory.MaxWasmStackBytes</c> at 2 MiB. Prints <c>whole sleep:</c> (200 ms,
/// no token canceled) and <c>canceled sleep:</c> (3 s, the innermost token canceled after 100 ms), each as the outcome and
/// its milliseconds.
/// </summary>
internal static class NestedSleepProbe
{
    private const long Ms = 1_000_000;

    public static int Run(string[] args)
    {
        int depth = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 70;
        AppContext.SetData(Internals.ModuleCatalog.MaxWasmStackSetting, Internals.ModuleCatalog.MaxAllowedWasmStackBytes.ToString(CultureInfo.InvariantCulture));
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Modules", "nested_sleep.wat"));
        var thread = new Thread(
            () =>
            {
                Console.WriteLine($"whole sleep: {Sleep(text, depth, 200 * Ms, cancelInnermost: false)}");
                Console.WriteLine($"canceled sleep: {Sleep(text, depth, 3000 * Ms, cancelInnermost: true)}");
            },
            16 * 1024 * 1024);
        thread.Start();
        thread.Join();
        return 0;
    }

    private static string Sleep(string text, int depth, long ns, bool cancelInnermost)
    {
        var tokens = new CancellationTokenSource[depth + 1];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = new CancellationTokenSource();
        }

        WasmHost? host = null;
        var options = new WasmHostOptions { CallTimeout = TimeSpan.FromDays(1) };
        options.Imports.Define("env", "deeper", (int level) =>
        {
            if (level > 0)
            {
                return host!.GetFunction<int, int>("down", tokens[level].Token)(level - 1);
            }

            if (cancelInnermost)
            {
                CallTokensTests.CancelFromAnotherThread(tokens[0], TimeSpan.FromMilliseconds(100));
            }

            return host!.GetFunction<long, int>("sleep", tokens[0].Token)(ns);
        });

        using (host = WasmHost.FromText(text, options: options))
        {
            var watch = Stopwatch.StartNew();
            string outcome;
            try
            {
                outcome = $"returned {host.GetFunction<int, int>("down")(depth)}";
            }
            catch (Exception ex)
            {
                outcome = ex is OperationCanceledException ? nameof(OperationCanceledException) : $"{ex.GetType().Name} ({ex.InnerException?.GetType().Name}: {ex.Message.Split('\n')[0]})";
            }

            return $"{outcome} after {watch.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
        }
    }
}
