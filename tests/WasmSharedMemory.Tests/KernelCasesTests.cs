using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Kernels;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="KernelTable"/> against what it describes: every row's export in every embedded build (its signature),
/// the export itself and the public method against the C# reference of <see cref="KernelCases"/>, and the public
/// method's parameters against the row's operands (the names its argument errors carry).
/// </summary>
public sealed class KernelCasesTests : LeakCheckedTests
{
    /// <summary>The four embedded builds, as <see cref="SharedMemoryModule.Load"/> picks them.</summary>
    public static TheoryData<ModuleVariant, int> Builds => new()
    {
        { ModuleVariant.Scalar, 1 },
        { ModuleVariant.Simd, 1 },
        { ModuleVariant.Scalar, 2 },
        { ModuleVariant.Simd, 2 },
    };

    public static TheoryData<string> Rows => new(KernelTable.All.Select(row => row.Export));

    public static TheoryData<string, string> RowsAndBuilds
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (KernelDescriptor row in KernelTable.All)
            {
                data.Add(row.Export, "wasm_shared_memory.scalar.wasm");
                data.Add(row.Export, "wasm_shared_memory.simd.wasm");
            }

            return data;
        }
    }

    [Fact]
    public void EveryKernelTableRow_HasACaseWithAReference()
    {
        Assert.Equal(KernelTable.All.Select(k => k.Export), KernelCases.All.Select(c => c.Descriptor.Export));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void EveryBindableRow_IsExportedByTheBuildWithTheRowsSignature(ModuleVariant variant, int parallelism)
    {
        using ISharedMemoryModule module = Load(variant, parallelism == 1 ? null : new SharedMemoryOptions { Parallelism = parallelism });
        Wasmtime.Module compiled = ((KernelModule)module).Guest.Module;

        foreach (KernelDescriptor row in KernelTable.Bindable)
        {
            FunctionExport export = Assert.Single(compiled.Exports.OfType<FunctionExport>(), e => e.Name == row.Export);
            Assert.Equal(row.Signature.Parameters, export.Parameters);
            Assert.Equal(row.Signature.Result is { } result ? new[] { result } : Array.Empty<ValueKind>(), export.Results);
        }
    }

    [Fact]
    public void Signatures_FollowTheOperands_AndPrintEachKindAsWatDoes()
    {
        Assert.Equal("(i32 n, i32 dst, i32 a, i32 b) -> ()", KernelTable.MultiplyInt32.Signature.Text);
        Assert.Equal("(i32 n, i32 dst, i32 a, f32 k) -> ()", KernelTable.ScaleSingle.Signature.Text);
        Assert.Equal("(i32 n, i32 dst, i32 a, f64 k) -> ()", KernelTable.ScaleDouble.Signature.Text);
        Assert.Equal("(i32 n, i32 a, i32 b) -> f32", KernelTable.DotSingle.Signature.Text);
        Assert.Equal("(i32 n, i32 a, i32 b, i32 sums) -> ()", KernelTable.DotDouble.ChunkSums!.Signature.Text);

        // A reduction of another type prints and sizes as that type, not as a float.
        var sum = new KernelDescriptor("Sum", "sum_i64", typeof(long), new[] { KernelOperand.Left, KernelOperand.Right }, result: typeof(long), chunkSums: "sum_i64_chunks");
        Assert.Equal("(i32 n, i32 a, i32 b) -> i64", sum.Signature.Text);
        Assert.Equal(8, sum.ChunkSums!.ResultSize);
    }

    [Fact]
    public void Rows_AreBindableAtTheirOwnIndex_WithNoExportTwice()
    {
        Assert.Equal(Enumerable.Range(0, KernelTable.Bindable.Length), KernelTable.Bindable.Select(row => row.Index));
        Assert.Equal(KernelTable.Bindable.Length, KernelTable.Bindable.Select(row => row.Export).Distinct().Count());
        Assert.All(KernelTable.All.Where(row => row.Result is not null), row => Assert.Contains(row.ChunkSums, KernelTable.Bindable));
    }

    [Fact]
    public void InconsistentRows_AreRefusedWhenTheTableIsBuilt()
    {
        Assert.Throws<InvalidOperationException>(() => new KernelDescriptor("X", "x", typeof(float), new[] { KernelOperand.Left, KernelOperand.Right }));
        Assert.Throws<InvalidOperationException>(() => new KernelDescriptor("X", "x", typeof(float), new[] { KernelOperand.Destination, KernelOperand.Factor }));
        Assert.Throws<InvalidOperationException>(() => new KernelDescriptor("X", "x", typeof(float), new[] { KernelOperand.Destination, KernelOperand.Left }, result: typeof(float)));
        Assert.Throws<InvalidOperationException>(() => new KernelDescriptor("X", "x", typeof(float), new[] { KernelOperand.Destination, KernelOperand.Left, KernelOperand.Right, KernelOperand.Factor }));
    }

    [Theory]
    [MemberData(nameof(RowsAndBuilds))]
    public void TheRowsExport_CalledDirectly_ComputesTheCSharpReference(string export, string build)
    {
        using WasmHost host = Track(WasmHost.FromBytes(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Modules", build))));

        foreach (int length in new[] { 1, 17, 4096 + 3, 3 * 4096 + 100 })
        {
            KernelCases.Named(export).AssertExportMatchesReference(host, length, seed: length);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ThePublicMethod_ComputesTheCSharpReference_OnEveryBuild(string export)
    {
        foreach ((ModuleVariant variant, int parallelism) in new[] { (ModuleVariant.Scalar, 1), (ModuleVariant.Simd, 1), (ModuleVariant.Simd, 2) })
        {
            using ISharedMemoryModule module = ParallelTuning.SplitEverything(Load(variant, parallelism == 1 ? null : new SharedMemoryOptions { Parallelism = parallelism }));
            foreach (int length in new[] { 1, 17, 4096 + 3, 3 * 4096 + 100 })
            {
                KernelCases.Named(export).AssertPublicMethodMatchesReference(module, length, seed: length);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ThePublicMethod_TakesTheRowsOperandsByName_AndReturnsItsResult(string export)
    {
        KernelDescriptor row = KernelCases.Named(export).Descriptor;
        MethodInfo method = PublicMethod(row);

        Assert.Equal(row.Result ?? typeof(void), method.ReturnType);
        Assert.Equal(
            row.Operands.Select(o => (o.Name, o.IsBuffer ? typeof(WasmBuffer<>).MakeGenericType(row.ElementType) : row.ElementType)).OrderBy(p => p.Name),
            method.GetParameters().Select(p => (p.Name!, p.ParameterType)).OrderBy(p => p.Item1));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ThePublicMethod_NamesTheOperandThatIsNullOrOfTheWrongLength(string export)
    {
        KernelDescriptor row = KernelCases.Named(export).Descriptor;
        MethodInfo method = PublicMethod(row);
        using ISharedMemoryModule module = Load(ModuleVariant.Scalar);
        ParameterInfo[] parameters = method.GetParameters();
        MethodInfo allocate = typeof(ISharedMemoryModule).GetMethod(nameof(ISharedMemoryModule.Allocate))!.MakeGenericMethod(row.ElementType);
        object Buffer(int length) => allocate.Invoke(module, new object[] { length })!;

        for (int i = 0; i < parameters.Length; i++)
        {
            if (!parameters[i].ParameterType.IsGenericType)
            {
                continue;
            }

            object?[] arguments = parameters.Select(p => p.ParameterType.IsGenericType ? Buffer(8) : Activator.CreateInstance(p.ParameterType)).ToArray();
            object? valid = arguments[i];
            arguments[i] = null;
            var nullEx = Assert.IsType<ArgumentNullException>(Assert.Throws<TargetInvocationException>(() => method.Invoke(module, arguments)).InnerException);
            Assert.Equal(parameters[i].Name, nullEx.ParamName);

            // The first source sets the length; any other buffer of another length is named.
            arguments[i] = Buffer(7);
            var lengthEx = Assert.IsType<ArgumentException>(Assert.Throws<TargetInvocationException>(() => method.Invoke(module, arguments)).InnerException);
            string named = parameters[i].Name == row.Operands[row.BufferChecks[0]].Name ? row.Operands[row.BufferChecks[1]].Name : parameters[i].Name!;
            Assert.Equal(named, lengthEx.ParamName);
            foreach (IDisposable buffer in arguments.Append(valid).OfType<IDisposable>())
            {
                buffer.Dispose();
            }
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

    private static MethodInfo PublicMethod(KernelDescriptor row) => Assert.Single(
        typeof(ISharedMemoryModule).GetMethods(),
        m => m.Name == row.Operation && m.GetParameters()[0].ParameterType == typeof(WasmBuffer<>).MakeGenericType(row.ElementType));
}
