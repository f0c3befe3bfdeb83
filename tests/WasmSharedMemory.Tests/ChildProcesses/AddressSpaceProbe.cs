using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// Loads kernel modules and keeps them alive until the process runs out of address space (each reserves 4 GiB
/// for its linear memory): the load that does not fit must throw <see cref="WasmOutOfMemoryException"/>, and the
/// process must carry on. With <c>limited</c> (the default) the child first caps its own address space a few
/// modules above what it uses, so the probe takes a second; with <c>full</c> it fills the whole address space.
/// </summary>
internal static class AddressSpaceProbe
{
    private const int RlimitAs = 9; // RLIMIT_AS on Linux (x64 and arm64)

    public static int Run(string[] args)
    {
        bool full = args.Length > 0 && args[0] == "full";
        if (!OperatingSystem.IsLinux())
        {
            // AddressSpaceTests skips off Linux before it starts this probe; reaching here is a mistake, not a pass.
            throw new PlatformNotSupportedException("The address-space probe caps its address space with Linux's setrlimit.");
        }

        if (!full)
        {
            // Room for a few 4 GiB reservations on top of what the runtime has mapped already; a hard limit
            // already lower than that stays (lowering one's own limit always succeeds, raising the hard one never).
            if (getrlimit(RlimitAs, out RLimit current) != 0)
            {
                throw new InvalidOperationException($"getrlimit(RLIMIT_AS) failed with errno {Marshal.GetLastWin32Error()}.");
            }

            ulong mapped = VirtualBytes();
            ulong limit = Math.Min(mapped + (18UL << 30), current.Maximum);
            var rlimit = new RLimit { Current = limit, Maximum = limit };
            if (setrlimit(RlimitAs, ref rlimit) != 0)
            {
                throw new InvalidOperationException($"setrlimit(RLIMIT_AS, {limit}) failed with errno {Marshal.GetLastWin32Error()}.");
            }

            Console.WriteLine($"address-space headroom: {(limit > mapped ? limit - mapped : 0)}");

            // A table of four billion elements (32 GB) cannot fit in what is left either.
            Console.WriteLine($"huge table: {Outcome(() => WasmHost.FromText(HostModules.Module(HostModules.CMalloc, """(table 4000000000 funcref)""")).Dispose())}");
        }

        var modules = new List<ISharedMemoryModule>();
        Exception? failure = null;
        var stopwatch = Stopwatch.StartNew();
        while (modules.Count < 1_000_000)
        {
            try
            {
                modules.Add(SharedMemoryModule.Load(ModuleVariant.Scalar));
            }
            catch (Exception ex)
            {
                failure = ex;
                break;
            }
        }

        Console.WriteLine($"live modules when a load failed: {modules.Count}");
        Console.WriteLine($"seconds: {stopwatch.Elapsed.TotalSeconds:0.0}");
        Console.WriteLine($"resident MiB: {Environment.WorkingSet >> 20}");
        Console.WriteLine($"exception: {failure?.GetType().Name}");
        Console.WriteLine($"requested bytes: {(failure as WasmOutOfMemoryException)?.RequestedBytes}");
        Console.WriteLine($"message: {failure?.Message.Replace(Environment.NewLine, " ", StringComparison.Ordinal)}");

        // The failure leaves nothing behind: the live modules still work, and once they go new ones load.
        using (WasmBuffer<int> values = modules[^1].Allocate<int>(4))
        {
            values.Span.Fill(3);
            modules[^1].Multiply(values, values, values);
            Console.WriteLine($"last live module still multiplies: {values.Span[0] == 9}");
        }

        foreach (ISharedMemoryModule module in modules)
        {
            module.Dispose();
        }

        Console.WriteLine($"load after disposing them: {Outcome(() => SharedMemoryModule.Load(ModuleVariant.Scalar).Dispose())}");
        return 0;
    }

    private static string Outcome(Action action)
    {
        try
        {
            action();
            return "succeeded";
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message.Replace(Environment.NewLine, " ", StringComparison.Ordinal)}";
        }
    }

    /// <summary>The process's mapped address space now (VmSize), in bytes.</summary>
    private static ulong VirtualBytes()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmSize:", StringComparison.Ordinal));
        return ulong.Parse(line.Substring(7).Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
