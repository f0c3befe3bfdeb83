using System.Linq;
using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Tests;

public sealed class KernelCasesTests : LeakCheckedTests
{
    [Fact]
    public void EveryKernelTableRow_HasAReferenceAndAPublicMethod()
    {
        Assert.Equal(KernelTable.All.Select(k => k.Export), KernelCases.All.Select(c => c.Descriptor.Export));
        foreach (KernelDescriptor row in KernelTable.All)
        {
            Assert.Contains(typeof(ISharedMemoryModule).GetMethods(), m => m.Name == row.Operation && m.GetParameters()[0].ParameterType == typeof(WasmBuffer<>).MakeGenericType(row.ElementType));
        }
    }

    [Fact]
    public void DotReference_KeepsTheDocumentedOrder_NotARunningSum()
    {
        // Lanes 0..3 hold 2^24, 1, 1, -2^24. A running float sum loses both ones (0); halving pairs lane 0 with
        // lane 2 (2^24 + 1 rounds to 2^24) and lane 1 with lane 3 (1 - 2^24 is exact), leaving 1.
        var left = new float[] { 16777216f, 1f, 1f, -16777216f };
        var right = new float[] { 1f, 1f, 1f, 1f };
        var dot = (DotCase<float>)KernelCases.Named("dot_f32");

        Assert.Equal(1f, dot.Expected(left, right));
    }
}
