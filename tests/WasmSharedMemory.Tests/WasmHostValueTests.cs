using System;
using System.Threading;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Tests;

/// <summary>
/// The value layer on the export side: every .NET type <c>GetAction</c>/<c>GetFunction</c> accept, at up to 8
/// parameters, crossing as C would pass it (narrow types extended, results truncated), on whichever call path the
/// process runs (CI runs this suite again with the native path off).
/// </summary>
public sealed class WasmHostValueTests : LeakCheckedTests
{
    // Each i32 parameter is stored sign-extended to 64 bits at 256 + 8k, so the test sees the exact i32 the guest got.
    private const string Exports = """
        (func (export "store_i32x7_i64") (param i32 i32 i32 i32 i32 i32 i32 i64)
          (i64.store (i32.const 256) (i64.extend_i32_s (local.get 0)))
          (i64.store (i32.const 264) (i64.extend_i32_s (local.get 1)))
          (i64.store (i32.const 272) (i64.extend_i32_s (local.get 2)))
          (i64.store (i32.const 280) (i64.extend_i32_s (local.get 3)))
          (i64.store (i32.const 288) (i64.extend_i32_s (local.get 4)))
          (i64.store (i32.const 296) (i64.extend_i32_s (local.get 5)))
          (i64.store (i32.const 304) (i64.extend_i32_s (local.get 6)))
          (i64.store (i32.const 312) (local.get 7)))
        (func (export "mix8") (param $u64 i64) (param $f32 f32) (param $f64 f64) (param $buffer i32) (param $b i32) (param $s i32) (param $flag i32) (param $u32 i32) (result f64)
          (f64.add
            (f64.add
              (f64.add (f64.convert_i64_u (local.get $u64)) (f64.promote_f32 (local.get $f32)))
              (f64.add (local.get $f64) (f64.load (local.get $buffer))))
            (f64.add
              (f64.add (f64.convert_i32_s (local.get $b)) (f64.convert_i32_s (local.get $s)))
              (f64.add (f64.convert_i32_s (local.get $flag)) (f64.convert_i32_u (local.get $u32))))))
        (func (export "id32") (param i32) (result i32) (local.get 0))
        (func (export "id64") (param i64) (result i64) (local.get 0))
        """;

    public static TheoryData<int, object> NarrowResults => new()
    {
        // The guest's i32 and what each narrow type makes of it: the low bits, as a C cast does; non-zero is true.
        { 0x1FF, (byte)0xFF },
        { -1, (byte)0xFF },
        { 0xFF, (sbyte)-1 },
        { 0x17F, (sbyte)127 },
        { 0x18000, (short)-32768 },
        { -1, (ushort)65535 },
        { 0x10001, (ushort)1 },
        { -1, uint.MaxValue },
        { int.MinValue, 0x80000000u },
        { 0, false },
        { 1, true },
        { 2, true },
        { 256, true },
        { int.MinValue, true },
    };

    [Fact]
    public void GetAction_EightParametersOfEveryNarrowType_ReachTheGuestAsCWouldPassThem()
    {
        using WasmHost host = Open();
        var store = host.GetAction<sbyte, byte, short, ushort, int, uint, bool, long>("store_i32x7_i64");

        store(-1, 255, short.MinValue, ushort.MaxValue, int.MinValue, uint.MaxValue, true, long.MinValue);

        // sbyte and short sign-extend, byte and ushort zero-extend, uint keeps its bits, bool is exactly 1.
        Assert.Equal(new[] { -1L, 255, short.MinValue, ushort.MaxValue, int.MinValue, -1, 1, long.MinValue }, host.Memory.GetSpan<long>(256, 8).ToArray());
    }

    [Fact]
    public void GetAction_WithCancellationToken_EightParameters_CallsTheExport()
    {
        // A cancelable token needs a module compiled with interruption checks.
        using WasmHost host = Track(WasmModule.FromText(HostModules.Module(HostModules.CMalloc, Exports), new WasmModuleOptions { Interruptible = true }).InstantiateAndHandOver(null, null));
        using var cancellation = new CancellationTokenSource();
        var store = host.GetAction<sbyte, byte, short, ushort, int, uint, bool, long>("store_i32x7_i64", cancellation.Token);

        store(sbyte.MinValue, 0, -1, 0, 7, 0x80000000u, false, 42);

        Assert.Equal(new[] { (long)sbyte.MinValue, 0, -1, 0, 7, int.MinValue, 0, 42 }, host.Memory.GetSpan<long>(256, 8).ToArray());
    }

    [Fact]
    public void GetFunction_EightParametersOfTheWideTypesAndABuffer_ReturnTheirSum()
    {
        using WasmHost host = Open();
        using WasmBuffer<double> buffer = host.Allocate<double>(1);
        buffer.Span[0] = 0.125;
        var mix = host.GetFunction<ulong, float, double, WasmBuffer<double>, byte, short, bool, uint, double>("mix8");
        var mixCancellable = host.GetFunction<ulong, float, double, WasmBuffer<double>, byte, short, bool, uint, double>("mix8", CancellationToken.None);

        double expected = 1e15 + 0.5 + 0.25 + 0.125 + 200 - 3 + 1 + 3e9;
        Assert.Equal(expected, mix(1_000_000_000_000_000UL, 0.5f, 0.25, buffer, 200, -3, true, 3_000_000_000u));
        Assert.Equal(expected, mixCancellable(1_000_000_000_000_000UL, 0.5f, 0.25, buffer, 200, -3, true, 3_000_000_000u));
    }

    [Theory]
    [MemberData(nameof(NarrowResults))]
    public void GetFunction_NarrowResult_KeepsTheLowBitsOfTheGuestsI32(int returned, object expected)
    {
        using WasmHost host = Open();

        object actual = expected switch
        {
            byte => host.GetFunction<int, byte>("id32")(returned),
            sbyte => host.GetFunction<int, sbyte>("id32")(returned),
            short => host.GetFunction<int, short>("id32")(returned),
            ushort => host.GetFunction<int, ushort>("id32")(returned),
            uint => host.GetFunction<int, uint>("id32")(returned),
            _ => host.GetFunction<int, bool>("id32")(returned),
        };

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GetFunction_NarrowParameters_AreExtendedAndComeBackUnchanged()
    {
        using WasmHost host = Open();

        Assert.Equal(-1, host.GetFunction<sbyte, int>("id32")(-1));
        Assert.Equal(255, host.GetFunction<byte, int>("id32")(255));
        Assert.Equal(-2, host.GetFunction<short, int>("id32")(-2));
        Assert.Equal(65535, host.GetFunction<ushort, int>("id32")(65535));
        Assert.Equal(1, host.GetFunction<bool, int>("id32")(true));
        Assert.Equal(sbyte.MinValue, host.GetFunction<sbyte, sbyte>("id32")(sbyte.MinValue));
        Assert.Equal(ushort.MaxValue, host.GetFunction<ushort, ushort>("id32")(ushort.MaxValue));
        Assert.Equal(ulong.MaxValue, host.GetFunction<ulong, ulong>("id64")(ulong.MaxValue));
        Assert.Equal(-1L, host.GetFunction<ulong, long>("id64")(ulong.MaxValue));
        Assert.False(host.GetFunction<bool, bool>("id32")(false));
    }

    [Fact]
    public void GetFunction_TypesOfAnotherSignature_ThrowsContractNamingBothSignatures()
    {
        using WasmHost host = Open();

        var ex = Assert.Throws<WasmContractException>(() => host.GetFunction<byte, bool, ulong, ushort>("id32"));

        Assert.Equal("Export 'id32' must be a function (i32, i32, i64) -> i32, but the module's is (i32) -> i32.", ex.Message);
        Assert.Equal(
            "Export 'store_i32x7_i64' must be a function (i32, i32, i32, i32, i32, i32, i32, i32) -> (), but the module's is (i32, i32, i32, i32, i32, i32, i32, i64) -> ().",
            Assert.Throws<WasmContractException>(() => host.GetAction<int, int, int, int, int, int, int, int>("store_i32x7_i64")).Message);
    }

    [Fact]
    public void GetFunction_TypeThatCannotCross_ThrowsNotSupportedListingTheTypesThatDo()
    {
        using WasmHost host = Open();

        var parameter = Assert.Throws<NotSupportedException>(() => host.GetFunction<decimal, int>("id32"));
        var result = Assert.Throws<NotSupportedException>(() => host.GetFunction<int, WasmBuffer<int>>("id32"));

        Assert.Equal("Parameter type Decimal cannot cross into WebAssembly; use sbyte, byte, short, ushort, int, uint, bool, long, ulong, float or double or a WasmBuffer<T>.", parameter.Message);
        Assert.StartsWith("Result type WasmBuffer`1 cannot come back from WebAssembly; use sbyte, byte,", result.Message);
    }

    [Fact]
    public void GetActionAndGetFunction_EightParameters_AllocateNothingButThePublicPathsResultBox()
    {
        using WasmHost host = Open();
        using WasmBuffer<double> buffer = host.Allocate<double>(1);
        var mix = host.GetFunction<ulong, float, double, WasmBuffer<double>, byte, short, bool, uint, double>("mix8");
        var store = host.GetAction<sbyte, byte, short, ushort, int, uint, bool, long>("store_i32x7_i64");
        mix(1, 1, 1, buffer, 1, 1, true, 1); // first calls JIT
        store(1, 1, 1, 1, 1, 1, true, 1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += mix(1, 1, 1, buffer, 1, 1, true, 1);
            store(1, 1, 1, 1, i, 1, true, 1);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // On the public path Function.Invoke returns the result boxed (24 bytes for a double); nothing else allocates.
        long expected = NativeBoundary.IsEnabled ? 0 : 1000 * 24;
        Assert.True(allocated <= expected, $"{allocated} bytes in 1000 calls of each, at most {expected} expected (native path: {NativeBoundary.IsEnabled})");
        Assert.Equal(7000, sum);
    }

    private WasmHost Open() => Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, Exports)));
}
