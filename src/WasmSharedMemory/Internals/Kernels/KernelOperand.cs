using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// One parameter of a kernel export after its element count: what it is, the name a caller's argument error carries,
/// and the name the export's signature prints. A <see cref="KernelDescriptor"/> lists its operands in the export's
/// parameter order; <see cref="KernelCall{T}"/> fills them and a split call advances them per block from that list.
/// </summary>
internal sealed class KernelOperand
{
    /// <summary>The first source of a two-block kernel: <c>left</c>, <c>a</c>.</summary>
    public static readonly KernelOperand Left = new(KernelOperandKind.Source, "left", "a");

    /// <summary>The second source of a two-block kernel: <c>right</c>, <c>b</c>.</summary>
    public static readonly KernelOperand Right = new(KernelOperandKind.Source, "right", "b");

    /// <summary>The one source of a block-and-scalar kernel: <c>source</c>, <c>a</c>.</summary>
    public static readonly KernelOperand Source = new(KernelOperandKind.Source, "source", "a");

    /// <summary>The block a kernel writes: <c>destination</c>, <c>dst</c>.</summary>
    public static readonly KernelOperand Destination = new(KernelOperandKind.Destination, "destination", "dst");

    /// <summary>The scalar a block is multiplied by: <c>factor</c>, <c>k</c>.</summary>
    public static readonly KernelOperand Factor = new(KernelOperandKind.Scalar, "factor", "k");

    /// <summary>Where a reduction's chunk sums go: <c>sums</c>.</summary>
    public static readonly KernelOperand Sums = new(KernelOperandKind.ChunkSums, "sums", "sums");

    private KernelOperand(KernelOperandKind kind, string name, string wasmName)
    {
        (Kind, Name, WasmName) = (kind, name, wasmName);
    }

    public KernelOperandKind Kind { get; }

    /// <summary>Gets the public method's parameter name, which argument exceptions carry.</summary>
    public string Name { get; }

    /// <summary>Gets the export's parameter name, as the expected signature prints it.</summary>
    public string WasmName { get; }

    /// <summary>Gets a value indicating whether a caller passes this operand as a buffer (a source or the destination).</summary>
    public bool IsBuffer => Kind is KernelOperandKind.Source or KernelOperandKind.Destination;

    /// <summary>
    /// Returns this operand's argument for the block of a split call that starts at element <paramref name="start"/>,
    /// given its argument <paramref name="whole"/> for the whole call: a buffer's address moved to that element, the
    /// chunk sums' address moved to that chunk's sum, a scalar unchanged.
    /// </summary>
    public RawValue ForBlock(RawValue whole, int start, KernelDescriptor kernel) => Kind switch
    {
        KernelOperandKind.Source or KernelOperandKind.Destination => new RawValue { I32 = unchecked(whole.I32 + (start * kernel.ElementSize)) },
        KernelOperandKind.ChunkSums => new RawValue { I32 = unchecked(whole.I32 + (start / KernelTable.DotChunk * kernel.ResultSize)) },
        _ => whole,
    };

    public override string ToString() => $"{Kind} {Name}";
}
