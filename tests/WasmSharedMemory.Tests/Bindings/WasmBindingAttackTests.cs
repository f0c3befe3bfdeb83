using System;
using System.Text;
using System.Threading;
using Thumbnails;
using WasmSharedMemory.Tests.StbFuzz;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>
/// Generated bindings under attack: a declaration that does not match the real module, <see langword="out"/>
/// parameters while another thread disposes the host, and strings larger than the memory may grow.
/// </summary>
public sealed class WasmBindingAttackTests : LeakCheckedTests
{
    /// <summary>
    /// <see cref="BindingModules.Strings"/> over a C-style allocator that grows memory to fit and returns 0 when it
    /// cannot, as wasi-libc's <c>malloc</c> does under <c>MaxMemoryBytes</c>.
    /// </summary>
    public static readonly string GrowingStrings = HostModules.Module(
        """
        (func (export "malloc") (param $size i32) (result i32) (local $p i32) (local $end i32)
          (local.set $p (global.get $next))
          (local.set $end (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
          (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
            (then
              (if (i32.eq (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16)) (memory.size)))
                          (i32.const -1))
                (then (return (i32.const 0))))))
          (global.set $next (local.get $end))
          (local.get $p))
        (func (export "free") (param i32) (global.set $frees (i32.add (global.get $frees) (i32.const 1))))
        """,
        BindingModules.Strings);

    [Fact]
    public void Constructor_WrongDeclarationsOfTheRealStbModule_ListsEveryMismatchOnceAndLeavesTheHostUsable()
    {
        using WasmHost host = Track(WasmHost.FromFile(StbFuzzSettings.ModulePath));

        var ex = Assert.Throws<WasmContractException>(() => new WrongStb(host));

        Assert.StartsWith("WrongStb does not match its module (3 of 4 exports):", ex.Message);
        Assert.Contains("WrongStb.LoadFromMemory: Export 'stbi_load_from_memory'", ex.Message);
        Assert.Contains("WrongStb.FailureReason: Export 'stbi_failure_reason'", ex.Message);
        Assert.Contains("WrongStb.LoadGif: Export 'stbi_load_gif_from_memory'", ex.Message);
        Assert.DoesNotContain("WrongStb.InfoFromMemory", ex.Message);
        // The refused binding allocated no scratch block and called nothing: the host serves the right binding.
        Assert.Equal(0, host.Guest.Heap.UndisposedBuffers);
        Assert.False(host.IsFaulted);
        Assert.Equal(StbOutcome.Decoded, StbRequest.Serve(host, StbSeeds.All[0].Bytes, out _, out _));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void OutParameters_WhileAnotherThreadDisposesTheHost_AreRightOrObjectDisposedNeverWrong()
    {
        int completed = 0, refused = 0;
        for (int round = 0; round < 200; round++)
        {
            WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
            var stb = new StbLike(host);
            WasmBuffer<byte> data = host.Allocate<byte>(64);
            data.Span.Fill(7);
            using var go = new Barrier(2);
            var disposer = new Thread(() =>
            {
                go.SignalAndWait();
                Thread.SpinWait(round * 37 % 4000);
                host.Dispose();
            });
            disposer.Start();
            go.SignalAndWait();
            for (int i = 0; ; i++)
            {
                int length = 1 + (i % 63), desired = 1 + (i % 4);
                try
                {
                    int result = stb.Load(data, length, out int width, out int height, out int channels, desired);
                    Assert.True(result == 7 + length && width == length && height == desired * 2 && channels == 3,
                        $"round {round}, call {i}: load({length}, {desired}) gave {result}, {width}x{height}x{channels}");
                    completed++;
                }
                catch (ObjectDisposedException)
                {
                    refused++;
                    break;
                }
            }

            disposer.Join();
            data.Dispose();
            Assert.Equal(0, host.Guest.Heap.UndisposedBuffers);
        }

        Assert.Equal(200, refused);
        Assert.True(completed > 0);
    }

    [Theory]
    [InlineData("a", 3 << 20)] // 3 MiB of ASCII
    [InlineData("\u20AC", 1 << 20)] // 1 Mi euro signs: 2 MiB as UTF-16, 3 MiB as UTF-8
    public void StringArgument_LargerThanMemoryMayGrow_ThrowsOutOfMemoryAndTheHostCarriesOn(string unit, int repeat)
    {
        var options = new WasmHostOptions { MaxMemoryBytes = 2 << 20 };
        using WasmHost host = Track(WasmHost.FromText(GrowingStrings, options: options));
        var strings = new Utf8Length(host);
        string huge = new StringBuilder(unit.Length * repeat).Insert(0, unit, repeat).ToString();
        int frees = Frees(host);

        var ex = Assert.Throws<WasmOutOfMemoryException>(() => strings.Length(huge));
        Assert.Equal(Encoding.UTF8.GetByteCount(huge) + 1, ex.RequestedBytes);

        // The first string fits and is freed when the second cannot be allocated.
        Assert.Throws<WasmOutOfMemoryException>(() => strings.Lengths("fits", huge));
        Assert.Equal(frees + 1, Frees(host));
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(0, host.Guest.Heap.UndisposedBuffers);
        Assert.False(host.IsFaulted);
        Assert.Equal(7, strings.Lengths("fits", "abc"));
        Assert.True(host.MemoryBytes <= options.MaxMemoryBytes);
    }

    private static int Frees(WasmHost host) => host.Guest.Instance.GetGlobal("frees")!.GetValue() is int frees ? frees : -1;
}
