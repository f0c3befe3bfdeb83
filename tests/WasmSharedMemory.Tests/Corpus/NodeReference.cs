using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// Runs a published module's own JavaScript API in Node, the reference every corpus result is compared with:
/// a script under tests/corpus/node/ reads its input and writes the result on standard output.
/// </summary>
internal static class NodeReference
{
    /// <summary>
    /// Runs <c>node <paramref name="script"/> <paramref name="arguments"/></c> (a path relative to tests/corpus/node/,
    /// or absolute) with <c>WSM_CORPUS</c> set to the corpus folder, and returns what it wrote on standard output.
    /// </summary>
    /// <exception cref="InvalidOperationException">Node exited with a non-zero code or ran past <paramref name="timeoutSeconds"/>; the message holds its standard error.</exception>
    public static byte[] Run(string script, string[]? arguments = null, byte[]? input = null, int timeoutSeconds = 120)
    {
        string path = Path.IsPathRooted(script) ? script : Path.Combine(PublishedModules.RepositoryRoot, "tests", "corpus", "node", script);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = PublishedModules.RepositoryRoot,
        };
        start.ArgumentList.Add(path);
        foreach (string argument in arguments ?? Array.Empty<string>())
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["WSM_CORPUS"] = PublishedModules.Folder;
        using Process node = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var stdout = new MemoryStream();
        var copy = node.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = node.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            node.StandardInput.BaseStream.Write(input, 0, input.Length);
        }

        node.StandardInput.Close();
        if (!node.WaitForExit(timeoutSeconds * 1000))
        {
            node.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"node {path} ran past {timeoutSeconds} s.");
        }

        copy.Wait();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {path} exited {node.ExitCode}: {stderr.Result}");
        }

        return stdout.ToArray();
    }

    /// <summary>Runs <paramref name="script"/> and returns its standard output as UTF-8 text.</summary>
    public static string RunText(string script, string[]? arguments = null, byte[]? input = null, int timeoutSeconds = 120) =>
        Encoding.UTF8.GetString(Run(script, arguments, input, timeoutSeconds));
}
