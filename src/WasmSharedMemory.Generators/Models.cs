namespace WasmSharedMemory.Generators;

/// <summary>How a value crosses between .NET and wasm.</summary>
internal enum Marshal
{
    /// <summary>A scalar in a slot, converted as its <see cref="Scalar"/> says.</summary>
    Scalar,

    /// <summary>A <c>WasmBuffer&lt;T&gt;</c>, as its checked address.</summary>
    Buffer,

    /// <summary>A <c>string</c>, as a temporary zero-terminated UTF-8 block (parameters) or a module-owned one (results).</summary>
    String,

    /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c>, copied into a temporary block.</summary>
    ReadOnlySpan,

    /// <summary>A <c>Span&lt;T&gt;</c>, copied into a temporary block and back.</summary>
    Span,

    /// <summary>An <c>out T</c>, the address of a zeroed scratch value read back after the call.</summary>
    Out,

    /// <summary>A <c>ref T</c>, the address of a scratch value written before and read back after the call.</summary>
    Ref,

    /// <summary>An <c>in T</c>, the address of a scratch value written before the call.</summary>
    In,

    /// <summary>A <c>T[]</c> result under wasm-bindgen's convention: a <c>Vec&lt;T&gt;</c> through the return area, copied out and freed.</summary>
    Array,

    /// <summary>The trailing <c>CancellationToken</c>: no wasm value.</summary>
    Cancellation,

    /// <summary>An import's leading <c>GuestMemory</c>: no wasm value.</summary>
    Memory,
}

/// <summary>The .NET scalar types that cross as themselves or widened.</summary>
internal enum Scalar
{
    None,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Bool,
    Int64,
    UInt64,
    Float32,
    Float64,
}

/// <summary>One parameter or result of a binding method, as the emitter needs it.</summary>
/// <param name="Name">The parameter's name as C# source spells it (escaped), or empty for a result.</param>
/// <param name="Type">Its type, fully qualified with nullability.</param>
/// <param name="Marshal">How it crosses.</param>
/// <param name="Scalar">For scalars, which one (an enum's underlying type).</param>
/// <param name="EnumType">For enums, the enum type, fully qualified.</param>
/// <param name="ElementType">For buffers, spans and out/ref/in, the element or value type, fully qualified.</param>
/// <param name="Wasm">Its wasm kind (<c>i32</c>...), or empty for no wasm value.</param>
internal sealed record ValueModel(string Name, string Type, Marshal Marshal, Scalar Scalar, string? EnumType, string? ElementType, string Wasm)
{
    /// <summary>Gets the declaration's modifier with a trailing space (<c>out </c>, <c>ref </c>, <c>in </c>), or empty.</summary>
    public string Modifier { get; init; } = string.Empty;

    /// <summary>Gets whether the parameter is marked <c>[WasmTransfer]</c>: the guest owns its block.</summary>
    public bool Transfer { get; init; }

    /// <summary>Gets whether a span-marshalled parameter is declared as an array (null is empty).</summary>
    public bool IsArray { get; init; }

    /// <summary>Gets whether the value crosses as wasm-bindgen's pointer and length (two <c>i32</c>s).</summary>
    public bool PointerAndLength { get; init; }

    /// <summary>Gets how many wasm values the parameter takes.</summary>
    public int WasmCount => Wasm.Length == 0 ? 0 : PointerAndLength ? 2 : 1;

    /// <summary>Gets the parameter's name without the <c>@</c> escape, for messages.</summary>
    public string PlainName => Name.TrimStart('@');
}

/// <summary>A <c>[WasmExport]</c> method.</summary>
internal sealed record ExportModel(
    string MethodName,
    string ExportName,
    string Modifiers,
    ValueModel? Result,
    EquatableArray<ValueModel> Parameters,
    string Signature,
    bool Valid,
    LocationInfo? Location)
{
    /// <summary>Gets whether the result comes back through wasm-bindgen's return area (a leading <c>i32</c> parameter).</summary>
    public bool ReturnArea { get; init; }
}

/// <summary>A <c>[WasmImport]</c> method.</summary>
internal sealed record ImportModel(string MethodName, string Module, string Name, ValueModel? Result, EquatableArray<ValueModel> Parameters, string Signature, bool Valid);

/// <summary>A <c>[WasmModule]</c> class, everything the emitter and the module check need, with the diagnostics found reading it.</summary>
internal sealed record BindingModel(
    string? Namespace,
    string ClassName,
    string HintName,
    string? ModulePath,
    bool CanGenerate,
    bool UsesSpans,
    EquatableArray<ExportModel> Exports,
    EquatableArray<ImportModel> Imports,
    EquatableArray<DiagnosticInfo> Diagnostics,
    LocationInfo? ClassLocation);
