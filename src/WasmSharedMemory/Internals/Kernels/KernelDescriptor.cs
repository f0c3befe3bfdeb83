using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>One kernel export of the kernel module: a row of <see cref="KernelTable"/>.</summary>
internal sealed class KernelDescriptor
{
    private static readonly WasmSignature s_elementWise = WasmSignature.Int32s(4, null, "(i32 n, i32 dst, i32 a, i32 b) -> ()");
    private static readonly WasmSignature s_chunkSums = WasmSignature.Int32s(4, null, "(i32 n, i32 a, i32 b, i32 sums) -> ()");

    /// <summary>A row; a reduction also names the export that writes its chunk sums (<see cref="KernelShape.ChunkSums"/>).</summary>
    public KernelDescriptor(int index, string operation, string export, Type elementType, KernelShape shape, KernelDescriptor? chunkSums = null)
    {
        (Index, Operation, Export, ElementType, Shape, ChunkSums) = (index, operation, export, elementType, shape, chunkSums);
        Signature = shape switch
        {
            KernelShape.ElementWise => s_elementWise,
            KernelShape.ChunkSums => s_chunkSums,
            _ => WasmSignature.Int32s(3, KindOf(elementType), $"(i32 n, i32 a, i32 b) -> {(KindOf(elementType) == ValueKind.Float32 ? "f32" : "f64")}"),
        };
    }

    /// <summary>Gets the row's position in <see cref="KernelTable.All"/>, which is also its slot in a module's bound kernels.</summary>
    public int Index { get; }

    /// <summary>Gets the public method's name: <c>Multiply</c>, <c>Add</c>, <c>Dot</c>.</summary>
    public string Operation { get; }

    /// <summary>Gets the export's name in the module.</summary>
    public string Export { get; }

    public Type ElementType { get; }

    public KernelShape Shape { get; }

    /// <summary>Gets, for a reduction, the export a parallel module splits it with; otherwise null.</summary>
    public KernelDescriptor? ChunkSums { get; }

    /// <summary>Gets the signature the export must have, checked when it is first bound.</summary>
    public WasmSignature Signature { get; }

    public override string ToString() => $"{Operation}<{ElementType.Name}> ({Export})";

    private static ValueKind KindOf(Type type) => WasmTypes.KindOf(type);
}
