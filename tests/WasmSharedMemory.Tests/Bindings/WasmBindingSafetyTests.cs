using System;
using System.Linq;
using System.Threading.Tasks;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>A binding's calls keep every guarantee of <c>GetFunction</c>'s: checked buffers, disposal, threads, faults.</summary>
public sealed class WasmBindingSafetyTests : LeakCheckedTests
{
    [Fact]
    public void BufferArgument_OfAnotherHostOrDisposed_ThrowsNamingTheParameter()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        using WasmHost other = Track(WasmHost.FromText(BindingModules.Everything));
        var stb = new StbLike(host);
        using WasmBuffer<byte> foreign = other.Allocate<byte>(4);
        WasmBuffer<byte> disposed = host.Allocate<byte>(4);
        disposed.Dispose();

        Assert.Equal("data", Assert.Throws<ArgumentException>(() => stb.Load(foreign, 4, out _, out _, out _, 4)).ParamName);
        Assert.Throws<ObjectDisposedException>(() => stb.Load(disposed, 4, out _, out _, out _, 4));
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => stb.Load(null!, 4, out _, out _, out _, 4)).ParamName);
        Assert.False(host.IsFaulted);
    }

    [Fact]
    public void Call_AfterTheHostIsDisposed_ThrowsObjectDisposed()
    {
        WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var everything = new Everything(host);
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => everything.Halves(1, out _, out _));
        Assert.Throws<ObjectDisposedException>(() => new Everything(host));
    }

    [Fact]
    public void OutParameters_FromManyThreads_EachGetTheirOwnValues()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var stb = new StbLike(host);
        using WasmBuffer<byte> data = host.Allocate<byte>(64);

        // The scratch block is shared; the guarded call serializes write, call and read, so no thread sees another's.
        int[] mismatches = Enumerable.Range(0, 4).Select(_ => 0).ToArray();
        Parallel.For(0, 4, thread =>
        {
            for (int i = 0; i < 2000; i++)
            {
                int length = 1 + ((thread * 7919) + i) % 63;
                int desired = thread + 1;
                stb.Load(data, length, out int width, out int height, out int channels, desired);
                if (width != length || height != desired * 2 || channels != 3)
                {
                    mismatches[thread]++;
                }
            }
        });

        Assert.All(mismatches, m => Assert.Equal(0, m));
    }

    [Fact]
    public void ImportThatThrows_TrapsTheCallWithItsException()
    {
        var options = new WasmHostOptions();
        ImportBinding.DefineImports(options.Imports);
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Imports, options: options));
        var binding = new ImportBinding(host);

        // is_odd throws for this seed (see ImportBinding); the trap carries the host's exception.
        var ex = Assert.Throws<WasmTrapException>(() => binding.Run(ImportBinding.Poison));

        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.True(host.IsFaulted);
    }

    [Fact]
    public void DefineImports_Twice_RefusesTheSecondDefinition()
    {
        var options = new WasmHostOptions();
        ImportBinding.DefineImports(options.Imports);

        Assert.Throws<ArgumentException>(() => ImportBinding.DefineImports(options.Imports));
    }
}
