using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// Unbounded recursion in guest code on a thread with a small stack, after <c>preKiB</c> of .NET frames: it must
/// trap, not end the process. Prints one <c>scenario: ExceptionType TrapCode depth=N</c> line per scenario; or, for a
/// setting the library refuses, how a host and a kernel load fail, and that both succeed once it is fixed.
/// </summary>
internal static class StackProbe
{
    public const int ThreadStackBytes = 256 * 1024;

    /// <summary>
    /// <c>recurse(n)</c> calls itself forever; <c>recurse_wasi(n)</c> also makes a WASI call at every level, and
    /// <c>recurse_host(n)</c> calls a .NET host function at every level, so the deepest frame calls into the host.
    /// </summary>
    public static readonly string Module = HostModules.Module(
        HostModules.CMalloc,
        imports: """
            (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
            (import "env" "tick" (func $tick (param i64) (result i64)))
            """,
        exports: """
            (global $depth (export "depth") (mut i64) (i64.const 0))
            (func $recurse (export "recurse") (param $n i64) (result i64)
              (global.set $depth (local.get $n))
              (i64.add (call $recurse (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
            (func $recurse_wasi (export "recurse_wasi") (param $n i64) (result i64)
              (global.set $depth (local.get $n))
              (drop (call $clock (i32.const 0) (i64.const 0) (i32.const 64)))
              (i64.add (call $recurse_wasi (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
            (func $recurse_host (export "recurse_host") (param $n i64) (result i64)
              (global.set $depth (call $tick (local.get $n)))
              (i64.add (call $recurse_host (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
            """);

    /// <summary>
    /// Arguments: the KiB of .NET stack to use up below the call (default 0); optionally a value for the
    /// <c>WasmSharedMemory.MaxWasmStackBytes</c> setting and the thread's stack in KiB (default 256).
    /// </summary>
    public static int Run(string[] args)
    {
        int preKiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;
        if (args.Length > 1)
        {
            AppContext.SetData(Internals.ModuleCatalog.MaxWasmStackSetting, args[1]);
        }

        int threadBytes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) * 1024 : ThreadStackBytes;
        try
        {
            Console.WriteLine($"max wasm stack: {Internals.ModuleCatalog.MaxWasmStackBytes}");
        }
        catch (WasmSharedMemoryException ex)
        {
            Console.WriteLine($"setting refused: {ex.Message}");
            Console.WriteLine($"load: {Outcome(() => Load().Dispose())}");
            Console.WriteLine($"kernel load: {Outcome(() => SharedMemoryModule.Load().Dispose())}");
            // Nothing cached the refusal: once the setting is fixed, both loads work.
            AppContext.SetData(Internals.ModuleCatalog.MaxWasmStackSetting, null);
            Console.WriteLine($"load after the fix: {Outcome(() => Load().Dispose())}");
            Console.WriteLine($"kernel load after the fix: {Outcome(() => SharedMemoryModule.Load().Dispose())}");
            return 0;
        }

        foreach (string export in new[] { "recurse", "recurse_wasi", "recurse_host" })
        {
            string outcome = string.Empty;
            var thread = new Thread(() => outcome = UseStack(preKiB, () => Recurse(export)), threadBytes);
            thread.Start();
            thread.Join();
            Console.WriteLine($"{export} on a {threadBytes / 1024} KiB thread after {preKiB} KiB: {outcome}");
        }

        Console.WriteLine($"recurse on the main thread: {Recurse("recurse")}");
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
            return ex.GetType().Name;
        }
    }

    private static string Recurse(string export)
    {
        using WasmHost host = Load();
        Func<long, long> recurse = host.GetFunction<long, long>(export);
        string outcome;
        try
        {
            recurse(0);
            outcome = "returned";
        }
        catch (Exception ex)
        {
            outcome = $"{ex.GetType().Name} {(ex.InnerException as TrapException)?.Type}";
        }

        long depth = (long)host.Guest.Instance.GetGlobal("depth")!.GetValue()!;
        return $"{outcome} faulted={host.IsFaulted} depth={depth}";
    }

    private static WasmHost Load()
    {
        var options = new WasmHostOptions();
        // Some .NET work on every call, as a real host function does.
        options.Imports.Define<long, long>("env", "tick", n => n.ToString(CultureInfo.InvariantCulture).Length > 0 ? n : -1);
        return WasmHost.FromText(Module, options: options);
    }

    /// <summary>Runs <paramref name="action"/> below <paramref name="kib"/> KiB of .NET frames.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe string UseStack(int kib, Func<string> action)
    {
        if (kib <= 0)
        {
            return action();
        }

        byte* frame = stackalloc byte[1000];
        frame[0] = (byte)kib;
        string result = UseStack(kib - 1, action);
        return frame[0] == (byte)kib ? result : throw new InvalidOperationException();
    }
}
