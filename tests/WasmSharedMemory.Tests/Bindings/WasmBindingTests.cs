using System;
using System.Threading;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>Generated bindings end to end: the generator's code against WAT modules, through the one guarded call path.</summary>
public sealed class WasmBindingTests : LeakCheckedTests
{
    [Fact]
    public void Export_SixParametersWithThreeOuts_ReturnsResultAndWritesOuts()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var stb = new StbLike(host);
        using WasmBuffer<byte> data = host.Allocate<byte>(10);
        data.Span[0] = 7;

        int result = stb.Load(data, 10, out int width, out int height, out int channels, 4);

        Assert.Equal(17, result);
        Assert.Equal(10, width);
        Assert.Equal(8, height);
        Assert.Equal(3, channels);
    }

    [Fact]
    public void Export_TwelveParametersOfEveryKind_ArriveInOrder()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var stb = new StbLike(host);

        double result = stb.Twelve(1, 2, 3.5f, 4.25, 5, 6, 7, 8, 9.5f, 10.25, 11, -12);

        double expected = (1 * 1) + (2 * 2) + (3 * 3.5) + (4 * 4.25) + (5 * 5) + (6 * 6) + (7 * 7) + (8 * 8) + (9 * 9.5) + (10 * 10.25) + (11 * 11) + (12 * -12);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Scalars_WidenAsCDoesAndComeBackUnchanged()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);

        Assert.Equal(-1, everything.WidenSigned(-1));
        Assert.Equal(255, everything.WidenUnsigned(255));
        Assert.Equal(short.MinValue, everything.EchoShort(short.MinValue));
        Assert.Equal(ushort.MaxValue, everything.EchoUShort(ushort.MaxValue));
        Assert.Equal(uint.MaxValue, everything.EchoUInt(uint.MaxValue));
        Assert.Equal(Shade.Light, everything.EchoShade(Shade.Light));
        Assert.Equal(ulong.MaxValue, everything.EchoULong(ulong.MaxValue));
        Assert.Equal(-0.5f, everything.EchoFloat(-0.5f));
        Assert.True(everything.Not(false));
        Assert.False(everything.Not(true));
    }

    [Fact]
    public void RefInAndOut_GoThroughAlignedScratchAndComeBack()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);
        var pair = new Pair { A = 41, B = 21 };

        everything.BumpPair(ref pair); // traps unless the scratch value is 8-aligned

        Assert.Equal(42, pair.A);
        Assert.Equal(42, pair.B);
        Assert.Equal(84, everything.SumPair(in pair));
        Assert.Equal(10.0, everything.Halves(10.0, out double half, out float quarter));
        Assert.Equal(5.0, half);
        Assert.Equal(2.5f, quarter);
        Assert.Equal(0, host.LiveBuffers); // the scratch block is the binding's own
    }

    [Fact]
    public void Strings_AreZeroTerminatedUtf8AndFreedAfterTheCall()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);
        int frees = FreeCount(host);

        Assert.Equal(6, everything.Length("héllo"));
        Assert.Equal(0, everything.Length(string.Empty));
        Assert.Equal(-1, everything.Length(null));
        Assert.Equal(7, everything.Lengths("ab", "cdefg"));

        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(frees + 4, FreeCount(host));
    }

    [Fact]
    public void Strings_AreReleasedWhenTheCallTraps()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);

        Assert.Throws<WasmTrapException>(() => everything.LengthThenTrap("doomed"));

        // Released without calling into the faulted module: detached and uncounted.
        Assert.Equal(0, host.LiveBuffers);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void StringResult_ReadsTheModulesStringOrNull()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);

        Assert.Equal("héllo", everything.Greeting(true));
        Assert.Null(everything.Greeting(false));
    }

    [Fact]
    public void Spans_AreCopiedInAndSpanIsCopiedBack()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);
        byte[] bytes = { 1, 2, 3, 250 };
        float[] values = { 1f, -2f, 0.5f };

        Assert.Equal(256, everything.SumBytes(bytes, bytes.Length));
        everything.Scale(values, values.Length, 4f);

        Assert.Equal(new[] { 4f, -8f, 2f }, values);
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, bytes);
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void CancellationToken_StopsTheCall()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything, options: new WasmHostOptions { CallTimeout = TimeSpan.MaxValue }));
        var everything = new Everything(host);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        using var later = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.ThrowsAny<OperationCanceledException>(() => everything.Spin(canceled.Token));
        Assert.False(host.IsFaulted); // refused before the guest was entered
        Assert.ThrowsAny<OperationCanceledException>(() => everything.Spin(later.Token));
    }

    /// <summary>
    /// Issue 27, class 2: on a host compiled without interruption a binding's token was ignored, so a canceled one ran
    /// the call and a cancelable one could never stop it. Refused as <see cref="WasmHost.GetFunction{TResult}(string, CancellationToken)"/> refuses it.
    /// </summary>
    [Fact]
    public void CancellationToken_OnAHostWithoutInterruption_IsRefusedWithNotSupportedAndNothingRuns()
    {
        using WasmHost host = Track(CallLimitsModule.Load(interruptible: false, new WasmHostOptions()));
        var binding = new CallLimitsBinding(host);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        using var cancelable = new CancellationTokenSource();

        Assert.Throws<NotSupportedException>(() => binding.Quick(canceled.Token));
        Assert.Throws<NotSupportedException>(() => binding.Spin(cancelable.Token));
        Assert.Throws<NotSupportedException>(() => host.GetFunction<int>("quick", cancelable.Token));

        Assert.Equal(0, CallLimitsModule.Global(host, "runs"));
        Assert.False(host.IsFaulted);
        Assert.Equal(7, binding.Quick(CancellationToken.None));
    }

    [Fact]
    public void CancellationToken_OnAKernelModuleExport_IsRefusedWithNotSupportedAndNothingRuns()
    {
        using ISharedMemoryModule module = Load();
        var binding = new KernelAbiBinding(module.Host);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        var ex = Assert.Throws<NotSupportedException>(() => binding.AbiVersion(canceled.Token));

        Assert.Contains("kernel module", ex.Message);
        Assert.False(module.IsFaulted);
        Assert.Equal(Internals.Kernels.KernelAbi.Version, binding.AbiVersion(default));
    }

    [Fact]
    public void Calls_OfScalarsBuffersAndOuts_AllocateNothing()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var stb = new StbLike(host);
        var everything = new Everything(host);
        using WasmBuffer<byte> data = host.Allocate<byte>(4);
        var pair = new Pair { A = 1, B = 1 };
        Run(); // JIT first

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotEqual(0, sum);
        if (NativeBoundary.IsEnabled)
        {
            Assert.Equal(0, allocated);
        }

        int Run()
        {
            int total = 0;
            for (int i = 0; i < 1000; i++)
            {
                total += stb.Load(data, 4, out int w, out int h, out int c, 4) + w + h + c;
                total += (int)stb.Twelve(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
                pair.B = 1;
                everything.BumpPair(ref pair);
                total += (int)everything.SumPair(in pair);
            }

            return total;
        }
    }

    [Fact]
    public void Constructor_ListsEveryMismatchInOneException()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));

        var ex = Assert.Throws<WasmContractException>(() => new Mismatched(host));

        Assert.StartsWith("Mismatched does not match its module (3 of 4 exports):", ex.Message);
        Assert.Contains("Mismatched.Load: Export 'load' must be a function (i32) -> i32, but the module's is (i32, i32, i32, i32, i32, i32) -> i32", ex.Message);
        Assert.Contains("Mismatched.Missing: Export 'missing'", ex.Message);
        Assert.Contains("Mismatched.Greeting: Export 'greeting' must be a function (i32) -> i64", ex.Message);
        Assert.DoesNotContain("Mismatched.Twelve", ex.Message);
    }

    [Fact]
    public void Imports_OfAnyArityWithMemoryAndResults_AreCalled()
    {
        var options = new WasmHostOptions();
        ImportBinding.DefineImports(options.Imports);
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Imports, options: options));
        var binding = new ImportBinding(host);
        ImportBinding.Received.Clear();

        int result = binding.Run(21);

        Assert.Equal(43, result);
        Assert.Equal(
            new[] { $"21 -2 {3.5f} {4.25} 4294967295 True -3 18446744073709551615 255 -1 Light 65535", "hello" },
            ImportBinding.Received);
    }

    private static int FreeCount(WasmHost host) => host.Guest.Instance.GetGlobal("frees")!.GetValue() is int frees ? frees : -1;
}

/// <summary>Three of four exports that do not match <see cref="BindingModules.Everything"/>.</summary>
[WasmModule]
public sealed partial class Mismatched
{
    [WasmExport("load")]
    public partial int Load(int data);

    [WasmExport("missing")]
    public partial void Missing();

    [WasmExport("greeting")]
    public partial long Greeting(int present);

    [WasmExport("twelve")]
    public partial double Twelve(int a, long b, float c, double d, int e, int f, int g, long h, float i, double j, int k, int l);
}
