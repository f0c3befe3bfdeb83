namespace WasmSharedMemory.Tests.Bindings;

/// <summary>Strings into <see cref="WasmBindingAttackTests.GrowingStrings"/>: <c>strlen</c> and <c>strlen2</c>.</summary>
[WasmModule]
public sealed partial class Utf8Length
{
    [WasmExport("strlen")]
    public partial int Length(string? text);

    [WasmExport("strlen2")]
    public partial int Lengths(string first, string second);
}
