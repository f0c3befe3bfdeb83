using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>Host functions a module imports: definition, the load-time checks, memory access, traps and calls back into the host.</summary>
public sealed class WasmImportsTests : LeakCheckedTests
{
    // Each import is re-exported under the same name, so a test calls it through the guest.
    private const string EveryShape = """
        (import "env" "log" (func $log (param i32 i32)))
        (import "env" "twice" (func $twice (param f32) (result f32)))
        (import "env" "add64" (func $add64 (param i64 i64) (result i64)))
        (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
        (import "env" "sum4" (func $sum4 (param i32 i32 i32 i32) (result i32)))
        (import "env" "tick" (func $tick))
        (import "env" "answer" (func $answer (result i32)))
        """;

    private const string EveryShapeExports = """
        (data (i32.const 512) "h\c3\a9llo")
        (func (export "say") (call $log (i32.const 512) (i32.const 6)))
        (func (export "twice") (param f32) (result f32) (call $twice (local.get 0)))
        (func (export "add64") (param i64 i64) (result i64) (call $add64 (local.get 0) (local.get 1)))
        (func (export "mix") (param i32 i64 f32 f64) (result f64) (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
        (func (export "sum4") (param i32 i32 i32 i32) (result i32) (call $sum4 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
        (func (export "tick") (call $tick))
        (func (export "answer") (result i32) (call $answer))
        """;

    /// <summary><c>each(n)</c> calls the imported <c>env.step(i)</c> for i = 0..n-1; <c>quick()</c> returns 7; <c>spin()</c> loops forever.</summary>
    private const string Callbacks = """
        (import "env" "step" (func $step (param i32)))
        """;

    private const string CallbackExports = """
        (func (export "each") (param $n i32) (local $i i32)
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (call $step (local.get $i))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
        (func (export "quick") (result i32) (i32.const 7))
        (func (export "spin") (loop $forever (br $forever)))
        (func (export "trap") unreachable)
        """;

    [Fact]
    public void Define_EveryParameterShape_ReceivesTheGuestsArgumentsAndReturnsItsResults()
    {
        var seen = new List<string>();
        var options = new WasmHostOptions();
        options.Imports.Define("env", "log", (GuestMemory memory, int ptr, int len) => seen.Add(memory.ReadUtf8((uint)ptr, len)));
        options.Imports.Define("env", "twice", (float x) => x * 2);
        options.Imports.Define("env", "add64", (long a, long b) => a + b);
        options.Imports.Define("env", "mix", (int a, long b, float c, double d) => a + b + c + d);
        options.Imports.Define("env", "sum4", (GuestMemory memory, int a, int b, int c, int d) => a + b + c + d + (int)(memory.Length >> 16));
        options.Imports.Define("env", "tick", () => seen.Add("tick"));
        options.Imports.Define("env", "answer", () => 42);

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, EveryShapeExports, imports: EveryShape), options: options));
        host.GetAction("say")();
        host.GetAction("tick")();

        Assert.Equal(new[] { "héllo", "tick" }, seen);
        Assert.Equal(5f, host.GetFunction<float, float>("twice")(2.5f));
        Assert.Equal(long.MaxValue, host.GetFunction<long, long, long>("add64")(long.MaxValue - 1, 1));
        Assert.Equal(1 + 2L + 0.5f + 0.25, host.GetFunction<int, long, float, double, double>("mix")(1, 2L, 0.5f, 0.25));
        Assert.Equal(1 + 2 + 3 + 4 + 1, host.GetFunction<int, int, int, int, int>("sum4")(1, 2, 3, 4)); // one 64 KiB page
        Assert.Equal(42, host.GetFunction<int>("answer")());
    }

    [Fact]
    public void Define_FuncForAnImportReturningNothing_RunsAndItsResultIsDiscarded()
    {
        // C# binds both lambdas to Func overloads: one has a value, the other only throws.
        int count = 0;
        var stop = new InvalidOperationException("stop");
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", (int i) => count += i);
        options.Imports.Define("env", "tick", () => throw stop);

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports + """(func (export "tick") (call $tick))""", imports: Callbacks + """(import "env" "tick" (func $tick))"""), options: options));
        host.GetAction<int>("each")(4);

        Assert.Equal(0 + 1 + 2 + 3, count);
        Assert.Same(stop, Assert.Throws<WasmTrapException>(host.GetAction("tick")).InnerException);
    }

    [Fact]
    public void Define_FuncWhoseResultCannotCross_DefinesAnImportReturningNothing()
    {
        // An assignment to a string binds to Func<int, string>: string cannot cross, so the import returns nothing.
        string seen = string.Empty;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", (int i) => seen = i == 3 ? "three" : seen);

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        host.GetAction<int>("each")(4);

        Assert.Equal("three", seen);
    }

    [Fact]
    public void Load_ImportWithAnotherSignature_ThrowsContractNamingTheImportAndBothSignatures()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", (float x) => { });

        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options)));

        Assert.Equal("Import env.step is (i32) -> () in the module, but the callback WasmHostOptions.Imports defines for it is (f32) -> ().", ex.Message);
    }

    [Fact]
    public void Load_ImportsNothingDefines_ThrowsContractListingEachWithItsSignature()
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "unused", () => { }); // defined, not imported: ignored

        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, EveryShapeExports, imports: EveryShape), options: options)));

        Assert.StartsWith(
            "The module imports env.log (i32, i32) -> (), env.twice (f32) -> f32, env.add64 (i64, i64) -> i64, env.mix (i32, i64, f32, f64) -> f64, " +
            "env.sum4 (i32, i32, i32, i32) -> i32, env.tick () -> (), env.answer () -> i32, which nothing defines.",
            ex.Message);
        Assert.Contains("WasmHostOptions.Imports.Define(module, name, callback)", ex.Message);
    }

    [Fact]
    public void Load_BuiltInNameWithAnotherSignature_IsRefusedSayingWhatTheBuiltInIs()
    {
        var ex = Assert.Throws<WasmContractException>(() =>
            Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, imports: """(import "env" "abort" (func (param i32)))"""))));

        // Neither AssemblyScript's abort nor Emscripten's abort() takes one i32; the message names the first.
        Assert.Contains("env.abort (i32) -> () (the built-in one is AssemblyScript's (i32 message, i32 fileName, i32 line, i32 column) -> ())", ex.Message);
    }

    [Fact]
    public void Load_MemoryImport_IsRefusedByName()
    {
        var ex = Assert.Throws<WasmContractException>(() =>
            Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, imports: """(import "env" "table" (table 1 funcref))"""))));

        Assert.Contains("env.table (a table, which only the module can provide)", ex.Message);
    }

    [Fact]
    public void Define_ABuiltInsName_ReplacesTheBuiltIn()
    {
        var calls = new List<(int, int, int, int)>();
        var options = new WasmHostOptions();
        options.Imports.Define("env", "abort", (int message, int file, int line, int column) => calls.Add((message, file, line, column)));
        string exports = """(func (export "fail") (call $abort (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 4)))""";

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: AbortImport), options: options));
        host.GetAction("fail")();

        Assert.Equal(new[] { (0, 0, 3, 4) }, calls);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Define_UnsupportedTypes_ThrowNotSupported()
    {
        var imports = new WasmImports();

        Assert.Throws<NotSupportedException>(() => imports.Define("env", "a", (string s) => { }));
        Assert.Throws<NotSupportedException>(() => imports.Define("env", "b", (int x, GuestMemory memory) => { }));
        Assert.Throws<NotSupportedException>(() => imports.Define("env", "c", (int a, int b, int c, int d, int e, int f, int g, int h, int i) => { }));
        Assert.Throws<NotSupportedException>(() => imports.Define("env", "d", (WasmBuffer<float> buffer) => { }));
        Assert.Throws<NotSupportedException>(() => imports.Define("env", "e", (GuestMemory memory, decimal x) => 1));
    }

    [Fact]
    public void Define_BadNames_Throw()
    {
        var imports = new WasmImports();
        imports.Define("env", "f", () => { });

        Assert.Throws<ArgumentNullException>(() => imports.Define(null!, "f", () => { }));
        Assert.Throws<ArgumentNullException>(() => imports.Define("env", null!, () => { }));
        Assert.Throws<ArgumentNullException>(() => imports.Define("env", "g", (Action)null!));
        Assert.Throws<ArgumentException>(() => imports.Define(string.Empty, "g", () => { }));
        Assert.Throws<ArgumentException>(() => imports.Define("env", "f", (int x) => { }));
        Assert.Contains("WASI preview 1", Assert.Throws<ArgumentException>(() => imports.Define("wasi_snapshot_preview1", "fd_write", () => { })).Message);
    }

    [Fact]
    public void HostFunction_Throwing_TrapsTheGuestAndTheExportThrowsTrapWithItsException()
    {
        var thrown = new InvalidOperationException("the host function failed");
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", (int i) =>
        {
            if (i == 2)
            {
                throw thrown;
            }
        });

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("each")(5));

        Assert.Equal("each", ex.ExportName);
        Assert.Same(thrown, ex.InnerException);
        Assert.Contains("the host function failed", ex.Message);
        Assert.True(host.IsFaulted);
        Assert.Same(ex, Assert.Throws<WasmModuleFaultedException>(() => host.GetFunction<int>("quick")()).InnerException);
    }

    /// <summary>
    /// Issue 27, class 4: a <see cref="WasmModuleFaultedException"/> a host function threw of its own (one with no fault
    /// inside, or another host's refusal) passed through as if it were this host's refusal to go on.
    /// </summary>
    [Theory]
    [InlineData("own")]
    [InlineData("another host's")]
    public void HostFunction_ThrowingAWasmModuleFaultedExceptionOfItsOwn_ThrowsTrapWithItInside(string which)
    {
        using WasmHost other = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: Steps(_ => { })));
        Assert.Throws<WasmTrapException>(other.GetAction("trap"));
        WasmModuleFaultedException thrown = which == "own"
            ? new WasmModuleFaultedException(null)
            : Assert.Throws<WasmModuleFaultedException>(other.GetAction("trap"));

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: Steps(_ => throw thrown)));
        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("each")(1));

        Assert.Equal("each", ex.ExportName);
        Assert.Same(thrown, ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    private static WasmHostOptions Steps(Action<int> step)
    {
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", step);
        return options;
    }

    [Fact]
    public async Task HostFunction_CallingBackIntoItsHost_AllocatesAndCallsExportsOnTheSameThread()
    {
        WasmHost? host = null;
        var results = new List<int>();
        var options = new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) };
        options.Imports.Define("env", "step", (GuestMemory memory, int i) =>
        {
            using WasmBuffer<int> buffer = host!.Allocate<int>(i + 1);
            buffer.Span.Fill(i);
            Assert.Equal(i, memory.GetSpan<int>(buffer.Address, buffer.Length)[i]);
            results.Add(host.GetFunction<int>("quick")() + i);
        });

        host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        using (host)
        {
            // On another thread with a deadline, so a deadlock fails the test instead of hanging it.
            await Task.Run(() => host.GetAction<int>("each")(3)).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(new[] { 7, 8, 9 }, results);
            Assert.Equal(0, host.LiveBuffers);
            Assert.False(host.IsFaulted);
        }
    }

    [Fact]
    public void HostFunction_DisposingItsOwnHost_IsRefusedAndTrapsTheCall()
    {
        WasmHost? host = null;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", (int i) => host!.Dispose());

        host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        using (host)
        {
            var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("each")(1));

            Assert.IsType<InvalidOperationException>(ex.InnerException);
            Assert.True(host.IsFaulted);
        }
    }

    [Fact]
    public void HostFunction_CallingAnExportThatTraps_FaultsTheHostAndBothCallsReportIt()
    {
        WasmHost? host = null;
        var options = new WasmHostOptions();
        options.Imports.Define("env", "step", (int i) => host!.GetAction("trap")());

        host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        using (host)
        {
            var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("each")(1));

            Assert.Equal("each", ex.ExportName);
            Assert.Equal("trap", Assert.IsType<WasmTrapException>(ex.InnerException).ExportName);
            Assert.True(host.IsFaulted);
        }
    }

    [Fact]
    public void HostFunction_CallingBackIn_RunsUnderTheOuterCallsTimeout()
    {
        WasmHost? host = null;
        var options = new WasmHostOptions { CallTimeout = TimeSpan.FromMilliseconds(200) };
        options.Imports.Define("env", "step", (int i) => host!.GetAction("spin")());

        host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        using (host)
        {
            var ex = Assert.Throws<TimeoutException>(() => host.GetAction<int>("each")(1));

            Assert.Contains("'spin'", ex.Message);
            Assert.True(host.IsFaulted);
        }
    }

    [Fact]
    public void HostFunction_CallingBackIn_DoesNotRefillTheOuterCallsFuel()
    {
        // each(n) calls back n times; if every nested call refilled the fuel, no budget would ever run out.
        WasmHost? host = null;
        var options = new WasmHostOptions { FuelPerCall = 20_000 };
        options.Imports.Define("env", "step", (int i) => { host!.GetFunction<int>("quick")(); });

        host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CallbackExports, imports: Callbacks), options: options));
        using (host)
        {
            host.GetAction<int>("each")(10);
            var ex = Assert.Throws<WasmTrapException>(() => host.GetAction<int>("each")(1_000_000));

            Assert.Equal("each", ex.ExportName);
        }
    }

    [Fact]
    public void BuiltInAbort_DecodesAssemblyScriptStringsIntoTheTrapMessage()
    {
        // AssemblyScript strings: UTF-16LE code units, their byte length as a u32 just before them.
        const string exports = """
            (data (i32.const 508) "\0a\00\00\00b\00o\00o\00m\00!\00")
            (data (i32.const 540) "\08\00\00\00a\00.\00t\00s\00")
            (func (export "fail") (call $abort (i32.const 512) (i32.const 544) (i32.const 12) (i32.const 5)))
            (func (export "fail_bare") (call $abort (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
            """;

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: AbortImport)));
        var ex = Assert.Throws<WasmTrapException>(() => host.GetAction("fail")());
        using WasmHost bare = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: AbortImport)));
        var bareEx = Assert.Throws<WasmTrapException>(() => bare.GetAction("fail_bare")());

        Assert.Equal("fail", ex.ExportName);
        Assert.True(ex.Message.Contains("AssemblyScript abort: \"boom!\" at a.ts:12:5."), ex.Message);
        Assert.IsType<WasmSharedMemoryException>(ex.InnerException);
        Assert.Contains("AssemblyScript abort: \"(no message)\" at (no file):0:0.", bareEx.Message);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void BuiltInTraceAndSeed_AreDefinedWhenImported()
    {
        const string imports = """
            (import "env" "trace" (func $trace (param i32 i32 f64 f64 f64 f64 f64)))
            (import "env" "seed" (func $seed (result f64)))
            """;
        const string exports = """
            (func (export "seed") (result f64)
              (call $trace (i32.const 0) (i32.const 1) (f64.const 1) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0))
              (call $seed))
            """;

        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, exports, imports: imports)));
        double first = host.GetFunction<double>("seed")();
        double second = host.GetFunction<double>("seed")();

        Assert.NotEqual(first, second);
    }

    private const string AbortImport = """(import "env" "abort" (func $abort (param i32 i32 i32 i32)))""";
}
