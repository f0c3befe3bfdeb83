using System;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// What the host functions of one loaded module reach: its memory, and the instance a failure is reported to.
/// Created before instantiation, attached once the instance exists.
/// </summary>
internal sealed class HostCallScope
{
    private GuestInstance? _guest;
    private GuestMemory? _memory;

    /// <summary>Gets the calling module's memory view.</summary>
    /// <exception cref="InvalidOperationException">The module's start function called a host function during instantiation, before its memory could be viewed.</exception>
    public GuestMemory Memory => _memory ?? throw new InvalidOperationException(
        "A host function that takes a GuestMemory was called by the module's start function, while the module was still being instantiated; its memory cannot be viewed yet.");

    /// <summary>Gets the calling instance, or null while the module's start function runs inside instantiation.</summary>
    public GuestInstance? Guest => _guest;

    /// <summary>Attaches the instance once it exists; from then on host functions see its memory.</summary>
    public void Attach(GuestInstance guest)
    {
        _guest = guest;
        _memory = new GuestMemory(guest);
    }

    /// <summary>Records that a host function threw <paramref name="exception"/>, so the call that led there reports it.</summary>
    public void Failed(Exception exception) => _guest?.RecordHostFailure(exception);

    /// <summary>
    /// Traps the calling guest if the instance faulted while a host function ran (a call it made back in trapped, timed
    /// out or was canceled, and it caught that): the call that led there throws <see cref="WasmModuleFaultedException"/>
    /// carrying the fault instead of returning a result computed over a faulted module.
    /// </summary>
    /// <exception cref="HostFunctionFailure">The instance is faulted.</exception>
    public void ThrowIfFaulted()
    {
        if (_guest?.FaultOrNull is { } fault)
        {
            var faulted = new WasmModuleFaultedException(fault);
            _guest.RecordHostFailure(faulted, refused: true);
            throw new HostFunctionFailure(faulted);
        }
    }
}
