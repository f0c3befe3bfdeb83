namespace WasmSharedMemory.Tests.Bindings;

/// <summary><c>[WasmTransfer]</c> under C's convention: the block is allocated for the call and never freed by the host.</summary>
public sealed class WasmTransferTests : LeakCheckedTests
{
    private static int Frees(WasmHost host) => (int)host.Guest.Instance.GetGlobal("frees")!.GetValue()!;

    [Fact]
    public void String_Transferred_IsNotFreedAfterTheCall()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var transferring = new Transferring(host);
        var everything = new Everything(host);

        Assert.Equal(6, transferring.Length("héllo"));
        Assert.Equal(0, Frees(host));
        Assert.Equal(3, everything.Length("abc"));
        Assert.Equal(1, Frees(host)); // the same export without [WasmTransfer] frees its copy
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void ReadOnlySpan_Transferred_IsNotFreedAfterTheCall()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var transferring = new Transferring(host);

        Assert.Equal(6, transferring.SumBytes(new byte[] { 1, 2, 3 }, 3));
        Assert.Equal(0, Frees(host));
        Assert.Equal(0, host.LiveBuffers);
    }

    [Fact]
    public void Buffer_Transferred_IsReleasedBeforeTheCall()
    {
        using WasmHost host = Track(WasmHost.FromText(BindingModules.Everything));
        var transferring = new Transferring(host);
        WasmBuffer<float> values = host.Allocate<float>(2);
        values.CopyFrom(new[] { 1f, 2f });

        transferring.Scale(values, 2, 3f);

        Assert.True(values.IsDisposed);
        Assert.Equal(0, host.LiveBuffers);
        values.Dispose();
        Assert.Equal(0, Frees(host));
        Assert.Throws<System.ObjectDisposedException>(() => transferring.Scale(values, 2, 3f));
    }
}
