using System;
using Wasmtime;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Modules that break the kernel ABI: each must give a clear exception, never a span over memory the
/// buffer does not own, and never a call into a store that cannot take it.
/// </summary>
public sealed class HostileModuleTests : LeakCheckedTests
{
    [Fact]
    public void Allocator_ReturningZero_ThrowsOutOfMemoryInsteadOfAliasingGuestData()
    {
        using KernelModule module = Track(TestModules.Load(alloc: "(i32.const 0)"));

        var ex = Assert.Throws<WasmOutOfMemoryException>(() => module.Allocate<float>(4));

        Assert.Equal(16, ex.RequestedBytes);
        Assert.Contains("'wsm_alloc' returned 0", ex.Message);
        Assert.Equal(0, module.LiveBuffers);
        Assert.False(module.IsFaulted);
    }

    [Fact]
    public void Allocator_ReturningAMisalignedAddress_ThrowsContractAndFaults()
    {
        using KernelModule module = Track(TestModules.Load(alloc: "(i32.const 1026)"));

        var ex = Assert.Throws<WasmContractException>(() => module.Allocate<float>(4));

        Assert.Contains("0x00000402", ex.Message);
        Assert.Contains("aligned to 4 bytes", ex.Message);
        Assert.True(module.IsFaulted);
        Assert.Equal(0, module.LiveBuffers);
        var faulted = Assert.Throws<WasmModuleFaultedException>(() => module.Allocate<byte>(1));
        Assert.Same(ex, faulted.InnerException);
    }

    [Fact]
    public void Allocator_ReturningABlockThatEndsPastMemory_ThrowsContract()
    {
        using KernelModule module = Track(TestModules.Load(alloc: "(i32.const 65520)"));

        using KernelModule other = Track(TestModules.Load(alloc: "(i32.const 65520)"));
        using WasmBuffer<byte> fits = other.Allocate<byte>(16);
        var ex = Assert.Throws<WasmContractException>(() => module.Allocate<byte>(17));

        Assert.Contains("0x0000FFF0", ex.Message);
        Assert.Contains("ends past the 65536 bytes", ex.Message);
    }

    [Fact]
    public void Allocator_ReturningAHighAddress_IsReadAsUnsignedNotSignExtended()
    {
        // -16 as i32 is 0xFFFFFFF0: a sign-extending host would see a negative offset and index before memory.
        using KernelModule module = Track(TestModules.Load(alloc: "(i32.const -16)"));

        var ex = Assert.Throws<WasmContractException>(() => module.Allocate<int>(4));

        Assert.Contains("0xFFFFFFF0", ex.Message);
        Assert.Contains("ends past", ex.Message);
    }

    [Fact]
    public void Allocator_Trapping_ThrowsTrapNamingTheExportThenFaultsEveryCall()
    {
        using KernelModule module = Track(TestModules.Load(alloc: TestModules.Trap));

        var ex = Assert.Throws<WasmTrapException>(() => module.Allocate<double>(2));

        Assert.Equal("wsm_alloc", ex.ExportName);
        Assert.Contains("wsm_alloc", ex.Message);
        Assert.IsType<TrapException>(ex.InnerException);
        Assert.True(module.IsFaulted);
        Assert.Same(ex, Assert.Throws<WasmModuleFaultedException>(() => module.Allocate<double>(2)).InnerException);
        Assert.IsAssignableFrom<WasmSharedMemoryException>(ex);
    }

    [Fact]
    public void Kernel_Trapping_ThrowsTrapAndLaterBuffersDisposeWithoutCallingTheGuest()
    {
        // free traps too: if Dispose called into the faulted module, it would throw.
        using KernelModule module = Track(TestModules.Load(free: TestModules.Trap, multiplyF32: TestModules.Trap));
        WasmBuffer<float> a = module.Allocate<float>(4);

        var ex = Assert.Throws<WasmTrapException>(() => module.Multiply(a, a, a));

        Assert.Equal("multiply_f32", ex.ExportName);
        Assert.Throws<WasmModuleFaultedException>(() => module.Multiply(a, a, a));
        a.Span[0] = 1; // memory is intact and still readable after the fault
        a.Dispose();
        Assert.Equal(0, module.LiveBuffers);
    }

    [Fact]
    public void Kernel_Trapping_ThroughTheDirectCall_WrapsWasmtimesTrapException()
    {
        using KernelModule module = Track(TestModules.Load(multiplyF32: TestModules.Trap));
        using WasmBuffer<float> a = module.Allocate<float>(4);

        var ex = Assert.Throws<WasmTrapException>(() => module.Multiply(a, a, a));

        Assert.Equal(LibraryBuildTests.ExpectsNativeCalls, module.IsNative(Internals.Kernels.KernelTable.MultiplySingle));
        TrapException trap = Assert.IsType<TrapException>(ex.InnerException);
        Assert.Equal(TrapCode.Unreachable, trap.Type);
    }

    [Fact]
    public void Free_Trapping_ThrowsTrapButTheBufferIsDisposedAndUncounted()
    {
        using KernelModule module = Track(TestModules.Load(free: TestModules.Trap));
        WasmBuffer<int> buffer = module.Allocate<int>(4);

        var ex = Assert.Throws<WasmTrapException>(() => buffer.Dispose());

        Assert.Equal("wsm_free", ex.ExportName);
        Assert.True(buffer.IsDisposed);
        Assert.Equal(0, module.LiveBuffers);
        Assert.True(module.IsFaulted);
        buffer.Dispose();
    }

    [Fact]
    public void Allocate_TooLargeOrNegative_ThrowsBeforeAnyWasmCall()
    {
        using KernelModule module = Track(TestModules.Load());

        Assert.Throws<ArgumentOutOfRangeException>(() => module.Allocate<double>(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => module.Allocate<long>(1 << 29));
        Assert.Throws<ArgumentOutOfRangeException>(() => module.Allocate<byte>(-1));
        using WasmBuffer<byte> empty = module.Allocate<byte>(0);

        Assert.Equal(0, TestModules.AllocCalls(module));
        using WasmBuffer<byte> one = module.Allocate<byte>(1);
        Assert.Equal(1, TestModules.AllocCalls(module));
    }

    [Fact]
    public void Kernel_MissingExport_ThrowsContractNamingItAndItsSignature_WhenFirstCalled()
    {
        // Kernels are bound when first called, so a module that lacks one still loads and serves the others.
        using KernelModule module = Track(TestModules.Load());
        using WasmBuffer<int> a = module.Allocate<int>(4);
        using WasmBuffer<float> f = module.Allocate<float>(4);

        var ex = Assert.Throws<WasmContractException>(() => module.Multiply(a, a, a));

        Assert.Contains("'multiply_i32'", ex.Message);
        Assert.Contains("(i32 n, i32 dst, i32 a, i32 b) -> ()", ex.Message);
        Assert.False(module.IsFaulted);
        module.Multiply(f, f, f);
    }

    [Fact]
    public void Kernel_WithTheWrongSignature_ThrowsContractNamingBothSignatures()
    {
        using KernelModule module = Track(TestModules.LoadText(TestModules.Text(multiplyF32Params: "(param i32 i32 i32)", multiplyF32: string.Empty)));
        using WasmBuffer<float> a = module.Allocate<float>(4);

        var ex = Assert.Throws<WasmContractException>(() => module.Multiply(a, a, a));

        Assert.Contains("'multiply_f32'", ex.Message);
        Assert.Contains("(i32 n, i32 dst, i32 a, i32 b) -> ()", ex.Message);
        Assert.Contains("(i32, i32, i32) -> ()", ex.Message);
    }

    [Fact]
    public void Load_AnotherAbiVersion_ThrowsContract()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(TestModules.LoadText(TestModules.Text(abiVersion: 2))));
        Assert.Contains("version 2", ex.Message);
    }

    [Fact]
    public void Load_NoMemoryExport_ThrowsContract()
    {
        var ex = Assert.Throws<WasmContractException>(() => Track(TestModules.LoadText(TestModules.Text(memory: "(memory 1)"))));
        Assert.Contains("'memory'", ex.Message);
    }

    [Fact]
    public void TestModule_WithAWorkingAllocator_MultipliesLikeTheRealOne()
    {
        // Guards the hostile tests above: the template itself works, so each failure is the swapped part's.
        using KernelModule module = Track(TestModules.Load());
        using WasmBuffer<float> a = module.Allocate<float>(3);
        a.CopyFrom(new[] { 1f, 2f, 3f });

        module.Multiply(a, a, a);

        Assert.Equal(new[] { 1f, 4f, 9f }, a.ToArray());
        Assert.False(module.IsFaulted);
    }
}
