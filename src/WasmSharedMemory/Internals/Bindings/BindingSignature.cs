using System;
using System.Collections.Generic;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Bindings;

/// <summary>Reads the signatures generated bindings carry, written as messages show them: <c>(i32, i64) -> f32</c>, <c>() -> ()</c>.</summary>
internal static class BindingSignature
{
    /// <summary>Parses <paramref name="text"/> into a signature whose <see cref="WasmSignature.Text"/> is that text.</summary>
    /// <exception cref="ArgumentException">The text is not a signature of <c>i32</c>, <c>i64</c>, <c>f32</c> and <c>f64</c>.</exception>
    public static WasmSignature Parse(string text)
    {
        if (text is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(text));
        }

        int arrow = text.IndexOf("->", StringComparison.Ordinal);
        string parameters = arrow < 0 ? string.Empty : text.Substring(0, arrow).Trim();
        string result = arrow < 0 ? string.Empty : text.Substring(arrow + 2).Trim();
        if (arrow < 0 || parameters.Length < 2 || parameters[0] != '(' || parameters[parameters.Length - 1] != ')')
        {
            throw Invalid(text);
        }

        var kinds = new List<ValueKind>();
        foreach (string part in parameters.Substring(1, parameters.Length - 2).Split(','))
        {
            string kind = part.Trim();
            if (kind.Length != 0)
            {
                kinds.Add(Kind(kind) ?? throw Invalid(text));
            }
        }

        ValueKind? returned = result == "()" ? null : Kind(result) ?? throw Invalid(text);
        return new WasmSignature(kinds.ToArray(), returned, text);
    }

    private static ValueKind? Kind(string text) => text switch
    {
        "i32" => ValueKind.Int32,
        "i64" => ValueKind.Int64,
        "f32" => ValueKind.Float32,
        "f64" => ValueKind.Float64,
        _ => null,
    };

    private static ArgumentException Invalid(string text) =>
        new($"'{text}' is not a wasm signature such as (i32, i64) -> f32 or () -> ().", nameof(text));
}
