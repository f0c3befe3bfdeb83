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
}
