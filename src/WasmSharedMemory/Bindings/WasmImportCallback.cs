using System.ComponentModel;

namespace WasmSharedMemory.Bindings;

/// <summary>A generated binding's host function: reads its arguments from the frame, calls the user's method and sets the result.</summary>
/// <param name="frame">The call from the module.</param>
/// <remarks>For the source generator's code; not meant to be used directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void WasmImportCallback(ref WasmImportFrame frame);
