using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// Runs a probe of this test assembly (<see cref="ProbeProgram"/>) in a child process: the way to test anything
/// that, if it regressed, would end the process (a stack overflow, a segfault, running out of address space),
/// so the regression fails one test instead of aborting the whole run.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <c>dotnet WasmSharedMemory.Tests.dll probe <paramref name="probe"/> <paramref name="args"/></c> and waits for it.</summary>
    /// <remarks>The child inherits the environment, so it runs the same library build and native-call setting as the tests.</remarks>
    public static ChildResult Run(string probe, TimeSpan timeout, params string[] args)
    {
        string assembly = typeof(ProbeProgram).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(ProbeProgram.Verb);
        start.ArgumentList.Add(probe);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ChildResult(probe, null, output.Result, error.Result, stopwatch.Elapsed);
        }

        process.WaitForExit(); // drains the redirected streams
        return new ChildResult(probe, process.ExitCode, output.Result, error.Result, stopwatch.Elapsed);
    }

    /// <summary>The <c>dotnet</c> host running this process, found the way the SDK passes it to tools.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ holds the runtime; the host sits in <root>.
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}

/// <summary>How a child process ended: its exit code (null when it hung and was killed) and what it printed.</summary>
internal sealed record ChildResult(string Probe, int? ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>Fails unless the child exited with 0, quoting what it printed.</summary>
    public ChildResult AssertSucceeded()
    {
        string what = ExitCode is null ? "hung and was killed" : $"exited with {ExitCode}";
        Assert.True(ExitCode == 0, $"The '{Probe}' probe {what} after {Elapsed.TotalSeconds:0.0} s.{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Tail(Error)}");
        return this;
    }

    /// <summary>Returns the values of the lines the probe printed as <c>key: value</c>.</summary>
    public string Value(string key)
    {
        foreach (string line in Output.Split('\n'))
        {
            if (line.StartsWith(key + ": ", StringComparison.Ordinal))
            {
                return line.Substring(key.Length + 2).TrimEnd('\r');
            }
        }

        throw new Xunit.Sdk.XunitException($"The '{Probe}' probe printed no '{key}:' line. stdout:{Environment.NewLine}{Output}");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text.Substring(text.Length - 4000);
}
