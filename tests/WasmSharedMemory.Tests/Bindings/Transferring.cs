using System;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>Bound to <see cref="BindingModules.Everything"/> in C's convention, with every argument handed to the guest.</summary>
[WasmModule]
public sealed partial class Transferring
{
    [WasmExport("strlen")]
    public partial int Length([WasmTransfer] string text);

    [WasmExport("sum_bytes")]
    public partial int SumBytes([WasmTransfer] ReadOnlySpan<byte> bytes, int length);

    [WasmExport("scale")]
    public partial void Scale([WasmTransfer] WasmBuffer<float> values, int length, float factor);
}
