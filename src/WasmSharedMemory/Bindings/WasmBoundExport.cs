using System.ComponentModel;
using WasmSharedMemory.Internals.Bindings;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Bindings;

/// <summary>One export of a generated binding, bound and checked by <see cref="WasmBindingBuilder"/>; generated code passes it to <see cref="WasmBinding.Call{TCall, TResult}"/>.</summary>
/// <remarks>For the source generator's code; not meant to be used directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WasmBoundExport
{
    private int _scratchBytes;
    private int _scratchAlignment = 1;

    internal WasmBoundExport(string name, GuestFunction? function, WasmSignature signature)
    {
        Name = name;
        Function = function;
        Slots = System.Math.Max(1, signature.Slots);
    }

    /// <summary>Gets the export's name in the module.</summary>
    public string Name { get; }

    /// <summary>Gets the bound function; null only while the builder collects mismatches, never in a built binding.</summary>
    internal GuestFunction? Function { get; }

    /// <summary>Gets wasm-bindgen's <c>__wbindgen_add_to_stack_pointer</c>, bound for an export whose result comes back through the return area; otherwise null.</summary>
    internal GuestFunction? StackPointer { get; set; }

    /// <summary>Gets the raw slots a call needs: at least one, so the native entry point always gets a real pointer.</summary>
    internal int Slots { get; }

    /// <summary>Gets the address of this export's scratch region, which the host shares with every binding of the same export; 0 while it needs none.</summary>
    internal uint ScratchAddress { get; set; }

    /// <summary>Gets the bytes this export's scratch region needs.</summary>
    internal int ScratchBytes => _scratchBytes;

    /// <summary>Gets the alignment this export's scratch region needs: the largest of its values'.</summary>
    internal int ScratchAlignment => _scratchAlignment;

    /// <summary>Reserves room for one more scratch value of type <typeparamref name="T"/>, as a call will lay it out.</summary>
    internal void Reserve<T>()
        where T : unmanaged
    {
        ScratchLayout.Next<T>(ref _scratchBytes);
        _scratchAlignment = System.Math.Max(_scratchAlignment, ScratchLayout.AlignmentOf<T>());
    }
}
