using System.IO;

namespace WasmSharedMemory.Tests;

/// <summary>wasm-bindgen's allocator recognised in each shape it has been published in, from the module alone.</summary>
public sealed class WasmBindgenAllocatorTests : LeakCheckedTests
{
    private static string Module(string file) => File.ReadAllText(ToolchainModules.Path(file));

    [Fact]
    public void Detect_OlderBuild_OneParameterMallocAndTwoParameterFree()
    {
        using WasmHost host = Track(WasmHost.FromText(Module("bindgen_older.wat")));

        Assert.Equal("WasmBindgen", host.Contract.Name);
        Assert.Equal(AllocatorParameters.Size, host.Contract.AllocParameters);
        Assert.Equal(FreeParameters.PointerSize, host.Contract.FreeParameters);

        WasmBuffer<long> buffer = host.Allocate<long>(3);
        buffer.Dispose();
        Assert.Equal(24, host.GetFunction<int>("last_free_size")());
    }

    [Fact]
    public void Detect_StandardShape_IsTheWasmBindgenContract()
    {
        using WasmHost host = Track(WasmHost.FromText(HostModules.Module(HostModules.WasmBindgen)));

        Assert.Same(AllocatorContract.WasmBindgen, host.Contract);
    }

    [Fact]
    public void Detect_NumberedExports_AreToldApartBySignature()
    {
        using WasmHost host = Track(WasmHost.FromText(Module("bindgen_numbered.wat")));

        Assert.Equal("__wbindgen_export_1", host.Contract.AllocExport);
        Assert.Equal(AllocatorParameters.SizeAlignment, host.Contract.AllocParameters);
        Assert.Equal("__wbindgen_export_3", host.Contract.FreeExport);
        Assert.Equal(FreeParameters.PointerSizeAlignment, host.Contract.FreeParameters);
        host.Allocate<int>(4).Dispose();
        Assert.Equal(1, host.GetFunction<int>("frees")());
    }

    [Fact]
    public void Detect_NumberedExportsThatCouldEachBeMalloc_ThrowsListingTheCandidates()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(Module("bindgen_numbered_ambiguous.wat"))));

        Assert.Contains("could be __wbindgen_export_0(i32, i32) -> i32, __wbindgen_export_1(i32, i32) -> i32", ex.Message);
        Assert.Contains("free (i32 ptr, i32 size, i32 align) -> () or (i32 ptr, i32 size) -> () could be __wbindgen_export_2(i32, i32, i32) -> ()", ex.Message);
        Assert.Contains("AllocatorContract.Custom", ex.Message);
    }

    [Fact]
    public void Detect_NumberedExportsThatCouldEachBeMalloc_LoadWithACustomContract()
    {
        AllocatorContract contract = AllocatorContract.Custom("mine", "__wbindgen_export_1", AllocatorParameters.SizeAlignment, "__wbindgen_export_2", FreeParameters.PointerSizeAlignment);
        using WasmHost host = Track(WasmHost.FromText(Module("bindgen_numbered_ambiguous.wat"), contract));

        using WasmBuffer<byte> buffer = host.Allocate<byte>(1);
        Assert.Equal(2048u, buffer.Address);
    }

    [Fact]
    public void Detect_MallocOfAnotherShape_ThrowsNamingBothShapes()
    {
        const string allocator = """
            (func (export "__wbindgen_malloc") (param i32 i32 i32) (result i32) (i32.const 0))
            (func (export "__wbindgen_free") (param i32 i32 i32))
            """;

        var ex = Assert.Throws<WasmContractException>(() => Track(WasmHost.FromText(HostModules.Module(allocator))));

        Assert.Contains("Export '__wbindgen_malloc' must be a function (i32 size) -> i32 or (i32 size, i32 align) -> i32", ex.Message);
        Assert.Contains("the module's is (i32, i32, i32) -> i32", ex.Message);
    }
}
