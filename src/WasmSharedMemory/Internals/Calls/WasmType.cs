using System;
using Wasmtime;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>A row of <see cref="WasmTypes"/>: a .NET type, the wasm value it crosses as, and how it converts.</summary>
internal sealed class WasmType
{
    public WasmType(Type type, ValueKind kind, string name, Conversion conversion) =>
        (Type, Kind, Name, How) = (type, kind, name, conversion);

    /// <summary>How a value of the .NET type becomes its wasm value and back, as C does for the same C type.</summary>
    public enum Conversion
    {
        /// <summary>Not a value: <see cref="None"/>, or a type that does not cross.</summary>
        None,

        /// <summary>The same bits, as wide as the wasm value (<c>int</c>, <c>uint</c>, <c>long</c>, <c>ulong</c>, <c>float</c>, <c>double</c>).</summary>
        Bits,

        /// <summary>Narrower than <c>i32</c> and signed: sign-extended going in, the low bits kept coming back (C's <c>signed char</c>, <c>short</c>).</summary>
        SignExtend,

        /// <summary>Narrower than <c>i32</c> and unsigned: zero-extended going in, the low bits kept coming back (C's <c>unsigned char</c>, <c>unsigned short</c>).</summary>
        ZeroExtend,

        /// <summary><c>1</c> or <c>0</c> going in; any non-zero <c>i32</c> is true coming back (C's <c>_Bool</c>).</summary>
        Boolean,

        /// <summary>A <see cref="WasmBuffer{T}"/>: its <c>i32</c> address, after checking it is live and belongs to the instance. Exports only.</summary>
        Address,
    }

    /// <summary>Gets the .NET type; for buffers, <see cref="IGuestBlock"/>, which every <see cref="WasmBuffer{T}"/> implements.</summary>
    public Type Type { get; }

    /// <summary>Gets the wasm value the type crosses as.</summary>
    public ValueKind Kind { get; }

    /// <summary>Gets the type as C# spells it, for messages and docs.</summary>
    public string Name { get; }

    /// <summary>Gets how a value converts.</summary>
    public Conversion How { get; }

    /// <summary>Gets a value indicating whether the type is a buffer, passed as its address.</summary>
    public bool IsBuffer => How == Conversion.Address;

    public override string ToString() => $"{Name} ({WasmTypes.Name(Kind)})";
}
