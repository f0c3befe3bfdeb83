using System;
using System.Linq;
using System.Text;

namespace WasmSharedMemory.Tests;

/// <summary><see cref="WasmHost.AllocateUtf8"/>: a string's UTF-8 bytes and a terminating zero, for C's <c>const char*</c> and Rust's <c>(ptr, len)</c>.</summary>
public sealed class WasmHostAllocateUtf8Tests : BufferOwnerTests
{
    /// <summary><c>count_char(s, c) -> n</c>: counts byte <c>c</c> in the zero-terminated string <c>s</c>, as C would.</summary>
    private const string CountChar = """
        (func (export "count_char") (param $s i32) (param $c i32) (result i32) (local $n i32) (local $b i32)
          (block $done
            (loop $next
              (local.set $b (i32.load8_u (local.get $s)))
              (br_if $done (i32.eqz (local.get $b)))
              (if (i32.eq (local.get $b) (local.get $c)) (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (br $next)))
          (local.get $n))
        """;

    private static readonly string[] s_strings = { string.Empty, "a,b,c", "héllo, wörld", "日本語,テキスト", "emoji 😀, and more", "nul\0inside" };

    public static TheoryData<string, string> HostsAndStrings
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string owner in new[] { KernelModule, KernelHost, CHost, BindgenHost })
            {
                foreach (string value in s_strings)
                {
                    data.Add(owner, value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HostsAndStrings))]
    public void AllocateUtf8_HoldsTheUtf8BytesThenAZeroAndReadsBack(string owner, string value)
    {
        using WasmHost host = Open(owner);
        byte[] expected = Encoding.UTF8.GetBytes(value);

        using WasmBuffer<byte> text = host.AllocateUtf8(value);

        Assert.Equal(expected.Length + 1, text.Length);
        Assert.Equal(expected.Append((byte)0), text.ToArray());
        Assert.Equal(value, host.Memory.ReadUtf8(text.Address, text.Length - 1));
        Assert.Equal(1, host.LiveBuffers);
    }

    [Theory]
    [MemberData(nameof(WasmHostTests.Contracts), MemberType = typeof(WasmHostTests))]
    public void AllocateUtf8_PassedToACStringExport_EndsAtTheTerminatingZero(string contract, string allocator)
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(allocator, CountChar)));
        var countChar = host.GetFunction<WasmBuffer<byte>, int, int>("count_char");

        using WasmBuffer<byte> text = host.AllocateUtf8("a,b,c");
        using WasmBuffer<byte> cut = host.AllocateUtf8("x,y\0,z,");

        Assert.Equal(contract, host.Contract.Name);
        Assert.Equal(2, countChar(text, ','));
        Assert.Equal(1, countChar(cut, ',')); // C stops at the embedded zero
    }

    [Fact]
    public void AllocateUtf8_LoneSurrogate_BecomesTheReplacementCharacter()
    {
        using WasmHost host = Open(CHost);

        using WasmBuffer<byte> text = host.AllocateUtf8("a\uD800b");

        Assert.Equal(new byte[] { (byte)'a', 0xEF, 0xBF, 0xBD, (byte)'b', 0 }, text.ToArray());
    }

    [Fact]
    public void AllocateUtf8_MegabyteString_IsEncodedInPlace()
    {
        using WasmHost host = Open(KernelHost);
        string value = new('é', 1 << 20);

        using WasmBuffer<byte> text = host.AllocateUtf8(value);

        Assert.Equal((2 << 20) + 1, text.Length);
        Assert.Equal(value, host.Memory.ReadUtf8(text.Address, text.Length - 1));
    }

    [Fact]
    public void AllocateUtf8_Null_ThrowsArgumentNull()
    {
        using WasmHost host = Open(CHost);

        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => host.AllocateUtf8(null!)).ParamName);
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void AllocateUtf8_OnAFaultedOrDisposedHost_Throws()
    {
        WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.CMalloc, HostModules.Trap)));
        Assert.Throws<WasmTrapException>(host.GetAction("trap"));
        Assert.Throws<WasmModuleFaultedException>(() => host.AllocateUtf8("a"));
        host.Dispose();
        Assert.Throws<ObjectDisposedException>(() => host.AllocateUtf8("a"));
    }

    [Fact]
    public void AllocateUtf8_OverTheMemoryLimit_ThrowsOutOfMemoryCountingTheTerminator()
    {
        WasmHostOptions options = CModuleTests.Options();
        options.MaxMemoryBytes = 1 << 20;
        using WasmHost host = Track(WasmHost.FromFile(ToolchainModules.C, options: options));

        var ex = Assert.Throws<WasmOutOfMemoryException>(() => host.AllocateUtf8(new string('x', 2 << 20)));

        Assert.Equal((2 << 20) + 1, ex.RequestedBytes);
        Assert.False(host.IsFaulted);
        Assert.Equal(0, host.LiveBuffers);
    }
}
