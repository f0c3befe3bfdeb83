using System;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// One kernel export of the kernel module, a row of <see cref="KernelTable"/>: its name, element type, operands in
/// the export's parameter order (after the element count <c>n</c>), and, for a reduction, the type it returns. The
/// signature, the call's argument slots, the checks of a caller's buffers and the advance of each operand per block
/// of a split call all follow from the operands.
/// </summary>
internal sealed class KernelDescriptor
{
    /// <summary>The most raw slots any kernel call needs: <c>n</c> and up to three operands.</summary>
    public const int MaxSlots = 4;

    /// <summary>
    /// A row; a reduction returns <paramref name="result"/> and may name <paramref name="chunkSums"/>, its export that
    /// takes the same operands and then where to write the sum of each chunk, in the result's type.
    /// </summary>
    /// <exception cref="InvalidOperationException">The row is inconsistent: see <see cref="Check"/>.</exception>
    public KernelDescriptor(string operation, string export, Type elementType, KernelOperand[] operands, Type? result = null, string? chunkSums = null)
        : this(operation, export, elementType, operands, result, result is null ? 0 : SizeOf(KindOf(result)))
    {
        ChunkSums = chunkSums is null ? null : new KernelDescriptor(operation, chunkSums, elementType, operands.Append(KernelOperand.Sums).ToArray(), null, ResultSize);
        Check();
    }

    private KernelDescriptor(string operation, string export, Type elementType, KernelOperand[] operands, Type? result, int resultSize)
    {
        (Operation, Export, ElementType, Operands, Result, ResultSize) = (operation, export, elementType, operands, result, resultSize);
        ElementSize = SizeOf(KindOf(elementType));
        BufferChecks = Enumerable.Range(0, operands.Length)
            .Where(i => operands[i].Kind == KernelOperandKind.Source)
            .Concat(Enumerable.Range(0, operands.Length).Where(i => operands[i].Kind == KernelOperandKind.Destination))
            .ToArray();
        ValueKind[] parameters = new[] { ValueKind.Int32 }.Concat(operands.Select(o => o.Kind == KernelOperandKind.Scalar ? KindOf(elementType) : ValueKind.Int32)).ToArray();
        ValueKind? returns = result is null ? null : KindOf(result);
        string text = $"(i32 n{string.Concat(operands.Select((o, i) => $", {WasmTypes.Name(parameters[i + 1])} {o.WasmName}"))}) -> {(returns is { } kind ? WasmTypes.Name(kind) : "()")}";
        Signature = new WasmSignature(parameters, returns, text);
    }

    /// <summary>Gets the row's position in <see cref="KernelTable.Bindable"/>, which is also its slot in an instance's bound kernels; set by the table.</summary>
    public int Index { get; private set; } = -1;

    /// <summary>Gets the public method's name: <c>Multiply</c>, <c>Add</c>, <c>Scale</c>, <c>Dot</c>.</summary>
    public string Operation { get; }

    /// <summary>Gets the export's name in the module.</summary>
    public string Export { get; }

    public Type ElementType { get; }

    /// <summary>Gets the bytes of one element.</summary>
    public int ElementSize { get; }

    /// <summary>Gets the export's parameters after <c>n</c>, in order.</summary>
    public KernelOperand[] Operands { get; }

    /// <summary>Gets the positions in <see cref="Operands"/> of the caller's buffers in the order a call checks them: the sources, then the destination, so the first source's length is the one the others must match.</summary>
    public int[] BufferChecks { get; }

    /// <summary>Gets the type a reduction returns (and a parallel split sums its chunks in), or null for a kernel that writes a destination.</summary>
    public Type? Result { get; }

    /// <summary>Gets the bytes of the <see cref="Result"/> a reduction returns, or of each sum a chunk-sums export writes; 0 otherwise.</summary>
    public int ResultSize { get; }

    /// <summary>Gets, for a reduction, the export a parallel module splits it with (a row of its own, in <see cref="KernelTable.Bindable"/>); otherwise null.</summary>
    public KernelDescriptor? ChunkSums { get; }

    /// <summary>Gets the signature the export must have, checked when it is first bound.</summary>
    public WasmSignature Signature { get; }

    public override string ToString() => $"{Operation}<{ElementType.Name}> ({Export})";

    /// <summary>Sets <see cref="Index"/>, once, from the row's place in the table.</summary>
    internal void Place(int index)
    {
        if (Index != -1)
        {
            throw new InvalidOperationException($"Kernel row {this} is already at {Index}.");
        }

        Index = index;
    }

    private static int SizeOf(ValueKind kind) => kind is ValueKind.Int64 or ValueKind.Float64 ? 8 : 4;

    private static ValueKind KindOf(Type type) => WasmTypes.KindOf(type);

    /// <summary>
    /// What every row must satisfy for calls and splits to be right: at most three operands, at least one source
    /// (whose length the others match), and either exactly one destination and no result, or a result and no
    /// destination; only a reduction has chunk sums.
    /// </summary>
    private void Check()
    {
        int destinations = Operands.Count(o => o.Kind == KernelOperandKind.Destination);
        string? problem =
            Operands.Length + 1 > MaxSlots ? $"has {Operands.Length} operands; a call has {MaxSlots - 1} at most"
            : !Operands.Any(o => o.Kind == KernelOperandKind.Source) ? "has no source to take the length from"
            : Operands.Any(o => o.Kind == KernelOperandKind.ChunkSums) ? "lists the chunk sums, which only its chunk-sums export takes"
            : Result is null && destinations != 1 ? "returns nothing, so it must write exactly one destination"
            : Result is not null && destinations != 0 ? "returns a result, so it must write no destination"
            : ChunkSums is not null && Result is null ? "has chunk sums but no result to sum them in"
            : null;
        if (problem is not null)
        {
            throw new InvalidOperationException($"Kernel row {this} {problem}.");
        }
    }
}
