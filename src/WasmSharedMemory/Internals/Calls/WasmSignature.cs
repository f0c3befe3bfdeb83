using Wasmtime;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>A function signature an export must have, with the text that messages show for it.</summary>
internal sealed class WasmSignature
{
    /// <summary>Creates a signature; <paramref name="text"/> defaults to the kinds alone, such as <c>(i32, f32) -> i32</c>.</summary>
    public WasmSignature(ValueKind[] parameters, ValueKind? result, string? text = null)
    {
        Parameters = parameters;
        Result = result;
        Text = text ?? ExportSignatures.Format(parameters, result);
    }

    public ValueKind[] Parameters { get; }

    /// <summary>Creates a signature of <paramref name="count"/> <c>i32</c> parameters, as every allocator and kernel export has.</summary>
    public static WasmSignature Int32s(int count, ValueKind? result, string text) =>
        new(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Repeat(ValueKind.Int32, count)), result, text);

    public ValueKind? Result { get; }

    /// <summary>Gets the signature as messages show it, for example <c>(i32 size, i32 align) -> i32</c>.</summary>
    public string Text { get; }

    /// <summary>Gets the number of raw slots a call needs: the larger of the parameter and result counts.</summary>
    public int Slots => System.Math.Max(Parameters.Length, Result is null ? 0 : 1);
}
