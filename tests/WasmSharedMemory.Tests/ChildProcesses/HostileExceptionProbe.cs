using System;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// Host functions that throw exceptions which cannot be rendered: a <c>Message</c> getter that throws or returns
/// null, a <c>ToString</c> that throws; from an export and from a start function. Each case prints
/// <c>case: ExceptionType inner=same|other faulted=True|False message=ok</c>; a fail-fast shows as the exit code.
/// </summary>
internal static class HostileExceptionProbe
{
    private const string Imports = """(import "env" "fail" (func $fail))""";
    private const string Exports = """(func (export "call_fail") (call $fail))""";

    public static int Run(string[] args)
    {
        foreach (string kind in new[] { "message-throws", "message-null", "tostring-throws", "everything-throws" })
        {
            var thrown = new HostileException(kind);
            var options = new WasmHostOptions();
            options.Imports.Define("env", "fail", () => throw thrown);

            using (WasmHost host = WasmHost.FromText(HostModules.Module(HostModules.CMalloc, Exports, imports: Imports), options: options))
            {
                Report($"export {kind}", thrown, () => host.GetAction("call_fail")(), () => host.IsFaulted);
            }

            string starting = HostModules.Module(HostModules.CMalloc, Exports + "(start $fail)", imports: Imports);
            Report($"start {kind}", thrown, () => WasmHost.FromText(starting, options: options).Dispose(), () => true);
        }

        return 0;
    }

    private static void Report(string name, Exception thrown, Action run, Func<bool> faulted)
    {
        try
        {
            run();
            Console.WriteLine($"{name}: nothing");
        }
        catch (Exception ex)
        {
            // Reading the message must be safe too: the library built it.
            string message = ex.Message.Length > 0 ? "ok" : "empty";
            Console.WriteLine($"{name}: {ex.GetType().Name} inner={(ReferenceEquals(ex.InnerException, thrown) ? "same" : "other")} faulted={faulted()} message={message}");
        }
    }

    /// <summary>An exception whose members throw, as hostile or buggy code might make one.</summary>
    private sealed class HostileException : Exception
    {
        private readonly string _kind;

        public HostileException(string kind) => _kind = kind;

        public override string Message => _kind switch
        {
            "message-throws" or "everything-throws" => throw new InvalidOperationException("Message getter threw"),
            "message-null" => null!,
            _ => "plain message",
        };

        public override string? StackTrace => _kind == "everything-throws" ? throw new InvalidOperationException("StackTrace threw") : base.StackTrace;

        public override string ToString() => _kind is "tostring-throws" or "everything-throws" ? throw new InvalidOperationException("ToString threw") : base.ToString();
    }
}
