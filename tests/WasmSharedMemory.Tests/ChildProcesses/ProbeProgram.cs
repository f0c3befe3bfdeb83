using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// The entry point of this test assembly when <see cref="ChildProcess"/> runs it as a child process
/// (<c>dotnet WasmSharedMemory.Tests.dll probe &lt;name&gt; …</c>). The test runner never calls it. Each probe
/// prints <c>key: value</c> lines for the test to check and returns 0; a crash shows as the exit code.
/// </summary>
public static class ProbeProgram
{
    public const string Verb = "probe";

    private static readonly Dictionary<string, Func<string[], int>> s_probes = new()
    {
        ["stack"] = StackProbe.Run,
        ["dispose-race"] = DisposeRaceProbe.Run,
        ["address-space"] = AddressSpaceProbe.Run,
        ["wasi-sleep"] = WasiSleepProbe.Run,
        ["hostile-exception"] = HostileExceptionProbe.Run,
        ["nested-token"] = NestedTokenProbe.Run,
        ["nested-sleep"] = NestedSleepProbe.Run,
        ["compile-cache"] = CompileCacheProbe.Run,
    };

    public static int Main(string[] args)
    {
        if (args.Length < 2 || args[0] != Verb || !s_probes.TryGetValue(args[1], out var probe))
        {
            Console.Error.WriteLine($"usage: {Verb} <{string.Join("|", s_probes.Keys)}> [arguments]");
            return 2;
        }

        return probe(args[2..]);
    }
}
