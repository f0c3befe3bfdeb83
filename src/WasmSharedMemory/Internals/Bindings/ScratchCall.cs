using System.Collections.Generic;
using System.Threading;
using WasmSharedMemory.Bindings;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>
/// Gives each export of a binding being built its scratch region, in one guarded call so the host's regions are
/// looked up and allocated under the gate (two threads building bindings of one host never both allocate).
/// </summary>
internal readonly struct ScratchCall : IGuestCall<bool>
{
    private readonly GuestHeap _heap;
    private readonly List<WasmBoundExport> _exports;

    public ScratchCall(GuestHeap heap, List<WasmBoundExport> exports) => (_heap, _exports) = (heap, exports);

    public string Export => _heap.Contract.AllocExport;

    public CancellationToken CancellationToken => default;

    public bool Prepare(GuestInstance guest, out bool result)
    {
        result = true;

        // A binding with no scratch values needs no call into the guest at all.
        foreach (WasmBoundExport export in _exports)
        {
            if (export.ScratchBytes != 0)
            {
                return true;
            }
        }

        return false;
    }

    public bool Invoke(GuestInstance guest)
    {
        foreach (WasmBoundExport export in _exports)
        {
            if (export.ScratchBytes != 0)
            {
                export.ScratchAddress = _heap.Scratch(export.Name, export.ScratchBytes, export.ScratchAlignment);
            }
        }

        return true;
    }
}
