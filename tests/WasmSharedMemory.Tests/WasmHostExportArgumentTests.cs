using System;
using System.Threading;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmBuffer{T}"/> as a parameter of <c>GetAction</c>/<c>GetFunction</c>: passed as its address, and
/// checked at each call under the call lock, so a buffer of another owner, a disposed buffer or null is refused
/// before the guest is entered.
/// </summary>
public sealed class WasmHostExportArgumentTests : BufferOwnerTests
{
    /// <summary>Exports that count their calls in the global <c>calls</c>, so a test can tell the guest was never entered.</summary>
    private const string CountingExports = """
        (global $calls (export "calls") (mut i32) (i32.const 0))
        (func $count (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
        (func (export "fill") (param $ptr i32) (param $n i32) (param $value f32)
          (call $count)
          (block $done
            (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (f32.store (local.get $ptr) (local.get $value))
              (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next))))
        (func (export "first") (param $ptr i32) (result f32) (call $count) (f32.load (local.get $ptr)))
        (func (export "zero") (param $ptr i32) (call $count) (f32.store (local.get $ptr) (f32.const 0)))
        (func (export "read") (param $ptr i32) (result i32) (call $count) (i32.load (local.get $ptr)))
        (func (export "four") (param i32 i32 i32 i32) (call $count))
        """;

    /// <summary>A C-contract allocator whose free poisons the block's first word, so a call on a freed block shows.</summary>
    private const string PoisoningCMalloc = $$"""
        (func (export "malloc") (param $size i32) (result i32) {{HostModules.Bump}})
        (func (export "free") (param $ptr i32) (i32.store (local.get $ptr) (i32.const 0xA5A5A5A5)))
        """;

    [Theory]
    [MemberData(nameof(Owners))]
    public void BufferArgument_ReachesTheExportAsTheBuffersAddress(string owner)
    {
        using WasmHost host = Open(owner);
        using WasmBuffer<float> values = host.Allocate<float>(100);
        for (int i = 0; i < values.Length; i++) values.Span[i] = i;

        float result = owner switch
        {
            KernelModule or KernelHost => host.GetFunction<int, WasmBuffer<float>, WasmBuffer<float>, float>("dot_f32")(values.Length, values, values),
            CHost => host.GetFunction<WasmBuffer<float>, int, float>("sum")(values, values.Length),
            _ => host.GetFunction<WasmBuffer<float>, int, float>("mean_f32")(values, values.Length),
        };

        float expected = owner switch { KernelModule or KernelHost => 328350f, CHost => 4950f, _ => 49.5f };
        Assert.Equal(expected, result);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void BufferArguments_KernelExportWithThreeBuffers_MultipliesInPlace()
    {
        using WasmHost host = Open(KernelHost);
        using WasmBuffer<float> a = host.Allocate<float>(5);
        a.CopyFrom(new[] { 1f, 2f, 3f, 4f, 5f });
        var multiply = host.GetAction<int, WasmBuffer<float>, WasmBuffer<float>, WasmBuffer<float>>("multiply_f32");

        multiply(a.Length, a, a, a);

        Assert.Equal(new[] { 1f, 4f, 9f, 16f, 25f }, a.ToArray());
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void BufferArgument_OfAnotherOwner_ThrowsArgumentNamingTheParameterWithoutEnteringTheGuest(string owner)
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));
        using WasmHost other = Open(owner);
        using WasmBuffer<float> theirs = other.Allocate<float>(4);
        theirs.CopyFrom(new[] { 1f, 2f, 3f, 4f });
        var fill = host.GetAction<WasmBuffer<float>, int, float>("fill");

        var ex = Assert.Throws<ArgumentException>(() => fill(theirs, theirs.Length, 9f));

        Assert.Equal("arg1", ex.ParamName);
        Assert.Contains("'fill'", ex.Message);
        Assert.Contains("was not called", ex.Message);
        Assert.Equal(0, Calls(host));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, theirs.ToArray());
        Assert.False(host.IsFaulted);
        Assert.False(other.IsFaulted);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void BufferArgument_FromAnotherHostIntoThisOne_IsRefused(string owner)
    {
        using WasmHost host = Open(owner);
        using WasmHost other = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));
        using WasmBuffer<float> theirs = other.Allocate<float>(4);
        using WasmBuffer<float> ours = host.Allocate<float>(4);

        var ex = owner switch
        {
            KernelModule or KernelHost => Assert.Throws<ArgumentException>(() => host.GetFunction<int, WasmBuffer<float>, WasmBuffer<float>, float>("dot_f32")(4, ours, theirs)),
            CHost => Assert.Throws<ArgumentException>(() => host.GetFunction<WasmBuffer<float>, int, float>("sum")(theirs, 4)),
            _ => Assert.Throws<ArgumentException>(() => host.GetFunction<WasmBuffer<float>, int, float>("mean_f32")(theirs, 4)),
        };

        Assert.Equal(owner is KernelModule or KernelHost ? "arg3" : "arg1", ex.ParamName);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void BufferArgument_SameModuleLoadedTwice_IsStillAnotherHost()
    {
        using WasmHost first = Open(KernelHost);
        using WasmHost second = Open(KernelHost);
        using WasmBuffer<float> a = first.Allocate<float>(4);
        using WasmBuffer<float> b = second.Allocate<float>(4);
        b.CopyFrom(new[] { 1f, 2f, 3f, 4f });
        var multiply = first.GetAction<int, WasmBuffer<float>, WasmBuffer<float>, WasmBuffer<float>>("multiply_f32");

        var ex = Assert.Throws<ArgumentException>(() => multiply(4, a, b, b));

        Assert.Equal("arg3", ex.ParamName);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, b.ToArray());
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void BufferArgument_Disposed_ThrowsObjectDisposedAndTheHostStaysUsable(string owner)
    {
        using WasmHost host = Open(owner);
        WasmBuffer<float> gone = host.Allocate<float>(8);
        gone.Dispose();
        using WasmBuffer<float> live = host.Allocate<float>(8);
        live.Span.Fill(2f);

        Func<WasmBuffer<float>, float> call = owner switch
        {
            KernelModule or KernelHost => b => host.GetFunction<int, WasmBuffer<float>, WasmBuffer<float>, float>("dot_f32")(8, live, b),
            CHost => b => host.GetFunction<WasmBuffer<float>, int, float>("sum")(b, 8),
            _ => b => host.GetFunction<WasmBuffer<float>, int, float>("mean_f32")(b, 8),
        };

        var ex = Assert.Throws<ObjectDisposedException>(() => call(gone));

        Assert.Contains("has been disposed", ex.Message);
        Assert.False(host.IsFaulted);
        Assert.Equal(owner switch { KernelModule or KernelHost => 32f, CHost => 16f, _ => 2f }, call(live));
    }

    [Fact]
    public void BufferArgument_Null_ThrowsArgumentNullWithoutEnteringTheGuest()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));

        var ex = Assert.Throws<ArgumentNullException>(() => host.GetAction<WasmBuffer<float>, int, float>("fill")(null!, 4, 1f));

        Assert.Equal("arg1", ex.ParamName);
        Assert.Equal(0, Calls(host));
    }

    [Fact]
    public void BufferArgument_RefusedParameter_IsNamedAsTheDelegateNamesIt()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));
        using WasmHost other = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));
        using WasmBuffer<float> theirs = other.Allocate<float>(4);
        using WasmBuffer<float> ours = host.Allocate<float>(4);

        // Action<T>.Invoke(T obj), Func<T, TResult>.Invoke(T arg), and arg1 to arg4 beyond one parameter.
        Assert.Equal("obj", Assert.Throws<ArgumentException>(() => host.GetAction<WasmBuffer<float>>("zero")(theirs)).ParamName);
        Assert.Equal("arg", Assert.Throws<ArgumentException>(() => host.GetFunction<WasmBuffer<float>, float>("first")(theirs)).ParamName);
        var four = host.GetAction<int, WasmBuffer<float>, int, WasmBuffer<float>>("four");
        Assert.Equal("arg2", Assert.Throws<ArgumentException>(() => four(0, theirs, 0, ours)).ParamName);
        Assert.Equal("arg4", Assert.Throws<ArgumentException>(() => four(0, ours, 0, theirs)).ParamName);
        Assert.Equal(0, Calls(host));

        four(0, ours, 0, ours);
        Assert.Equal(1, Calls(host));
    }

    [Fact]
    public void BufferArgument_OfADisposedHost_ThrowsObjectDisposed()
    {
        WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));
        WasmBuffer<float> buffer = host.Allocate<float>(4);
        var first = host.GetFunction<WasmBuffer<float>, float>("first");
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => first(buffer));
        buffer.Dispose();
    }

    [Fact]
    public void BufferResult_IsNotSupported()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, CountingExports)));

        var ex = Assert.Throws<NotSupportedException>(() => host.GetFunction<WasmBuffer<float>, WasmBuffer<float>>("first"));

        Assert.Contains("Result type", ex.Message);
    }

    [Fact]
    public async Task BufferArgument_DisposedByAnotherThreadMidStream_IsNeverPassedAfterItsBlockWasFreed()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(PoisoningCMalloc, CountingExports)));
        WasmBuffer<int> buffer = host.Allocate<int>(1);
        buffer.Span[0] = 42;
        var read = host.GetFunction<WasmBuffer<int>, int>("read");
        int reads = 0;
        using var started = new ManualResetEventSlim();

        Task reader = Task.Run(() =>
        {
            while (true)
            {
                int value;
                try
                {
                    value = read(buffer);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                Assert.Equal(42, value); // the free poisons the block: a call after it would read 0xA5A5A5A5
                reads++;
                started.Set();
            }
        });

        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        buffer.Dispose();
        await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(reads > 0);
        Assert.Equal(reads, Calls(host));
        Assert.False(host.IsFaulted);
    }

    private static int Calls(WasmHost host) => (int)host.Guest.Instance.GetGlobal("calls")!.GetValue()!;
}
