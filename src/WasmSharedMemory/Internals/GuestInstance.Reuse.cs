using System;
using WasmSharedMemory.Internals.Wasi;

namespace WasmSharedMemory.Internals;

/// <summary>What a pool reads of an instance to decide whether it may serve another lease (<see cref="HostState"/>).</summary>
internal sealed partial class GuestInstance
{
    /// <summary>Gets or sets the census of the instance's WASI descriptors, or null if the module imports no WASI; set once, by <see cref="Loading.Instantiation"/>.</summary>
    internal DescriptorCensus? Descriptors { get; set; }

    /// <summary>Runs <paramref name="read"/> under the gate with the instance usable, for reads of the store that are not calls (its exported tables).</summary>
    /// <exception cref="ObjectDisposedException">The instance has been disposed.</exception>
    /// <exception cref="WasmModuleFaultedException">The instance is faulted.</exception>
    internal T InGate<T>(Func<GuestInstance, T> read)
    {
        using (_gate.Enter())
        {
            ThrowIfUnusable();
            return read(this);
        }
    }
}
