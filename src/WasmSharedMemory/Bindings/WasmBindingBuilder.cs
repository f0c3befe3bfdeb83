using System;
using System.Collections.Generic;
using System.ComponentModel;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Bindings;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Bindings;

/// <summary>
/// Binds the exports a generated binding declares, collecting every mismatch, then builds the <see cref="WasmBinding"/>
/// (finding or allocating its exports' scratch regions) or throws one <see cref="WasmContractException"/> that lists them all.
/// </summary>
/// <remarks>For the source generator's constructors; not meant to be used directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WasmBindingBuilder
{
    private readonly GuestInstance _guest;
    private readonly string _bindingName;
    private readonly List<WasmBoundExport> _exports = new();
    private readonly List<string> _mismatches = new();
    private GuestFunction? _stackPointer;
    private bool _stackPointerMissing;

    private const string StackPointerExport = "__wbindgen_add_to_stack_pointer";
    private static readonly WasmSignature s_stackPointer = BindingSignature.Parse("(i32) -> i32");

    /// <summary>Starts binding <paramref name="bindingName"/> to the module <paramref name="host"/> runs.</summary>
    /// <param name="host">The host whose module the binding calls.</param>
    /// <param name="bindingName">The binding class's name, for messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="host"/> has been disposed.</exception>
    public WasmBindingBuilder(WasmHost host, string bindingName)
    {
        if (host is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(host));
        }

        _guest = host.Guest;
        _guest.ThrowIfUnusable();
        _bindingName = bindingName;
    }

    /// <summary>Binds export <paramref name="name"/> with <paramref name="signature"/>; a mismatch is recorded for <see cref="Build"/> to report.</summary>
    /// <param name="name">The export's name.</param>
    /// <param name="signature">Its wasm signature as messages show it, such as <c>(i32, i32) -> i32</c>.</param>
    /// <param name="declaration">The C# declaration, for messages.</param>
    /// <returns>The export, for <see cref="Reserve{T}"/> and <see cref="WasmBinding.Call{TCall, TResult}"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not a wasm signature.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public WasmBoundExport Export(string name, string signature, string declaration)
    {
        WasmSignature parsed = BindingSignature.Parse(signature);
        GuestFunction? function = null;
        try
        {
            function = _guest.Bind(name, parsed);
        }
        catch (WasmContractException ex)
        {
            _mismatches.Add($"{declaration}: {ex.Message}");
        }

        var export = new WasmBoundExport(name, function, parsed);
        _exports.Add(export);
        return export;
    }

    /// <summary>
    /// Marks <paramref name="export"/> as returning its result through wasm-bindgen's return area, binding the
    /// module's <c>__wbindgen_add_to_stack_pointer</c> (once per binding); a missing or mistyped one is recorded for
    /// <see cref="Build"/> to report.
    /// </summary>
    /// <param name="export">An export this builder bound.</param>
    /// <param name="declaration">The C# declaration, for messages.</param>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public void ReturnArea(WasmBoundExport export, string declaration)
    {
        if (_stackPointer is null && !_stackPointerMissing)
        {
            try
            {
                _stackPointer = _guest.Bind(StackPointerExport, s_stackPointer);
            }
            catch (WasmContractException ex)
            {
                _stackPointerMissing = true;
                _mismatches.Add($"{declaration} returns through wasm-bindgen's return area: {ex.Message}");
            }
        }

        export.StackPointer = _stackPointer;
    }

    /// <summary>Reserves scratch room in <paramref name="export"/>'s region for one <see langword="out"/>, <see langword="ref"/> or <see langword="in"/> parameter of type <typeparamref name="T"/>, in parameter order.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="export">An export this builder bound.</param>
    public void Reserve<T>(WasmBoundExport export)
        where T : unmanaged => export.Reserve<T>();

    /// <summary>
    /// Builds the binding: throws if any export did not match, else gives each export with scratch values its
    /// region, which the host keeps for the export and shares with every binding of it (allocated on first use only).
    /// </summary>
    /// <returns>The binding the generated methods call through.</returns>
    /// <exception cref="WasmContractException">One or more exports are missing or have another signature; the message lists every one.</exception>
    /// <exception cref="WasmOutOfMemoryException">A scratch region could not be allocated.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public WasmBinding Build()
    {
        if (_mismatches.Count != 0)
        {
            throw new WasmContractException(
                $"{_bindingName} does not match its module ({_mismatches.Count} of {_exports.Count} exports):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", _mismatches));
        }

        var call = new ScratchCall(_guest.Heap, _exports);
        _guest.Call<ScratchCall, bool>(ref call);
        return new WasmBinding(_guest);
    }
}
