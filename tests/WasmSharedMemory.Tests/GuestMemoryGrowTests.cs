using System;
using System.IO;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="GuestMemory.Grow"/> from a host function that a module's allocator asks to grow its heap (as Emscripten's
/// malloc calls emscripten_resize_heap), what an allocation that returns 0 says stopped the growth, and where the
/// module's memory is found: under any export name, by <see cref="WasmHostOptions.MemoryExport"/>, or made for a module
/// that imports it.
/// </summary>
public sealed class GuestMemoryGrowTests : LeakCheckedTests
{
    private const int Page = 65536;

    [Fact]
    public void Grow_FromAllocatorsHostFunction_GrowsAndKeepsEarlierSpansValid()
    {
        var previous = new System.Collections.Generic.List<long>();
        using WasmHost host = LoadGrowable(new WasmHostOptions(), previous);
        using WasmBuffer<byte> early = host.Allocate<byte>(100);
        Span<byte> span = early.Span;
        span.Fill(0x5A);

        using WasmBuffer<byte> large = host.Allocate<byte>(5 * Page);

        Assert.Equal(new long[] { 1 }, previous); // memory.grow's answer: the size before, in pages
        Assert.Equal(6 * Page, host.Memory.Length);
        Assert.Equal(6, host.GetFunction<int>("pages")());
        Assert.All(span.ToArray(), b => Assert.Equal(0x5A, b)); // the span taken before growth still reads the same memory
        large.Span[large.Length - 1] = 1;
    }

    [Fact]
    public void Grow_OutsideACall_ReturnsPreviousPagesAndZeroReturnsSize()
    {
        using WasmHost host = LoadGrowable(new WasmHostOptions());

        Assert.Equal(1, host.Memory.Grow(2));
        Assert.Equal(3, host.Memory.Grow(0));
        Assert.Equal(3 * Page, host.Memory.Length);
    }

    [Fact]
    public void Grow_Negative_ThrowsAndMemoryIsUnchanged()
    {
        using WasmHost host = LoadGrowable(new WasmHostOptions());

        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => host.Memory.Grow(-1));
        Assert.Equal("pages", ex.ParamName);
        Assert.Equal(Page, host.Memory.Length);
    }

    [Fact]
    public void Grow_PastMaxMemoryBytes_ReturnsMinusOneAndAllocationNamesTheLimit()
    {
        using WasmHost host = LoadGrowable(new WasmHostOptions { MaxMemoryBytes = 4 * Page });

        Assert.Equal(-1, host.Memory.Grow(4));
        WasmOutOfMemoryException ex = Assert.Throws<WasmOutOfMemoryException>(() => host.Allocate<byte>(5 * Page));

        Assert.Contains("asked the host to grow its memory, and it could not", ex.Message);
        Assert.Contains($"the {4 * Page}-byte MaxMemoryBytes limit: raise it", ex.Message);
        Assert.Equal(Page, host.Memory.Length);
        using (host.Allocate<byte>(100)) { } // the module is still usable
    }

    [Fact]
    public void Grow_PastDeclaredMaximum_ReturnsMinusOneAndAllocationSaysTheHostCannotRaiseIt()
    {
        using WasmHost host = LoadGrowable(new WasmHostOptions());

        Assert.Equal(-1, host.Memory.Grow(16)); // 1 + 16 pages, past the 16 the memory declares
        WasmOutOfMemoryException ex = Assert.Throws<WasmOutOfMemoryException>(() => host.Allocate<byte>(16 * Page));

        Assert.Contains("the maximum of 1048576 bytes (16 pages) the module's memory declares, which the host cannot raise", ex.Message);
        Assert.DoesNotContain("MaxMemoryBytes", ex.Message);
    }

    [Fact]
    public void Allocate_ModuleThatNeverGrows_SaysNoLimitStoppedIt()
    {
        using WasmHost host = Track(WasmHost.FromText(Wat("fixed_heap.wat")));

        WasmOutOfMemoryException ex = Assert.Throws<WasmOutOfMemoryException>(() => host.Allocate<byte>(3 * Page));

        Assert.Contains("No limit stopped it: memory stayed at its size and the module did not grow it", ex.Message);
        Assert.Contains("-sALLOW_MEMORY_GROWTH", ex.Message);
        Assert.DoesNotContain("raise", ex.Message);
        Assert.Equal(3L * Page, ex.RequestedBytes);
    }

    [Fact]
    public void Load_MemoryExportedUnderAnotherName_IsFound()
    {
        using WasmHost host = LoadGrowable(new WasmHostOptions());
        using WasmBuffer<int> buffer = host.Allocate<int>(4);
        buffer.Span[0] = 7;

        Assert.Equal(Page, host.Memory.Length);
        Assert.Equal(7, host.Memory.GetSpan<int>(buffer.Address, 1)[0]);
    }

    [Fact]
    public void Load_SeveralMemoriesNoneNamedMemory_ThrowsListingThem()
    {
        WasmContractException ex = Assert.Throws<WasmContractException>(() => WasmHost.FromText(Wat("two_memories.wat")));

        Assert.Contains("several memories (scratch, data)", ex.Message);
        Assert.Contains("WasmHostOptions.MemoryExport", ex.Message);
    }

    [Fact]
    public void Load_MemoryExportNamesOneOfSeveral_UsesIt()
    {
        using WasmHost host = Track(WasmHost.FromText(Wat("two_memories.wat"), options: new WasmHostOptions { MemoryExport = "data" }));

        Assert.Equal(2 * Page, host.Memory.Length);
        Assert.Equal(3, host.Memory.Grow(1) + 1); // grows "data", not "scratch"
        Assert.Equal(3, host.GetFunction<int>("data_pages")());
    }

    [Theory]
    [InlineData("data_pages", "an export that is not a memory")]
    [InlineData("nosuch", "no export")]
    public void Load_MemoryExportNotAMemory_ThrowsListingTheExports(string name, string what)
    {
        var options = new WasmHostOptions { MemoryExport = name };

        WasmContractException ex = Assert.Throws<WasmContractException>(() => WasmHost.FromText(Wat("two_memories.wat"), options: options));

        Assert.Contains($"WasmHostOptions.MemoryExport names '{name}', {what} of the module", ex.Message);
        Assert.Contains("Its memory exports: scratch, data", ex.Message);
        Assert.Contains("data_pages() -> i32", ex.Message);
    }

    [Fact]
    public void Load_ModuleImportsItsMemory_GetsOneOfTheDeclaredSize()
    {
        using WasmHost host = Track(WasmHost.FromText(Wat("imported_memory.wat")));
        using WasmBuffer<byte> buffer = host.Allocate<byte>(10);
        buffer.Span[3] = 99;

        Assert.Equal(3 * Page, host.Memory.Length);
        Assert.Equal(99, host.GetFunction<int, int>("load_byte")((int)buffer.Address + 3));
        Assert.Equal(3, host.Memory.Grow(5));
        Assert.Equal(-1, host.Memory.Grow(1)); // its declared maximum is 8 pages
    }

    private static string Wat(string file) => File.ReadAllText(ToolchainModules.Path(file));

    private WasmHost LoadGrowable(WasmHostOptions options, System.Collections.Generic.List<long>? previous = null)
    {
        options.Imports.Define("env", "grow_heap", (GuestMemory memory, int end) =>
        {
            long pages = ((uint)end - memory.Length + Page - 1) / Page;
            long before = memory.Grow(pages);
            previous?.Add(before);
            return before >= 0 ? 1 : 0;
        });
        return Track(WasmHost.FromText(Wat("growable_heap.wat"), options: options));
    }
}
