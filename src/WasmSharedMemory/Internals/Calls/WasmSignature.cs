using System;
using System.Collections.Generic;
using Wasmtime;

namespace WasmSharedMemory.Internals.Calls;

/// <summary>A function signature an export or import must have, with the text that messages show for it.</summary>
internal sealed class WasmSignature
{
    /// <summary>The most wasm parameters a delegate of an export or an import may take.</summary>
    public const int MaxParameters = 8;

    /// <summary>Creates a signature; <paramref name="text"/> defaults to the kinds alone, such as <c>(i32, f32) -> i32</c>.</summary>
    public WasmSignature(ValueKind[] parameters, ValueKind? result, string? text = null)
    {
        Parameters = parameters;
        Result = result;
        Text = text ?? WasmTypes.Format(parameters, result is { } kind ? new[] { kind } : Array.Empty<ValueKind>());
    }

    /// <summary>Which side of the boundary a delegate's types are on.</summary>
    public enum Side
    {
        /// <summary>.NET calls a module's export: buffers may be parameters; a result that cannot cross is refused.</summary>
        Export,

        /// <summary>A module calls a host function: a leading <see cref="GuestMemory"/> takes no wasm parameter; a result that cannot cross is dropped.</summary>
        Import,
    }

    public ValueKind[] Parameters { get; }

    public ValueKind? Result { get; }

    /// <summary>Gets the signature as messages show it, for example <c>(i32 size, i32 align) -> i32</c>.</summary>
    public string Text { get; }

    /// <summary>Gets the number of raw slots a call needs: the larger of the parameter and result counts.</summary>
    public int Slots => Math.Max(Parameters.Length, Result is null ? 0 : 1);

    /// <summary>Whether a function with these parameters and results has exactly this signature.</summary>
    public bool Is(IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results) =>
        Takes(parameters) && results.Count == (Result is null ? 0 : 1) && (Result is not { } kind || results[0] == kind);

    /// <summary>Whether <paramref name="parameters"/> are exactly this signature's.</summary>
    public bool Takes(IReadOnlyList<ValueKind> parameters)
    {
        if (parameters.Count != Parameters.Length)
        {
            return false;
        }

        for (int i = 0; i < Parameters.Length; i++)
        {
            if (parameters[i] != Parameters[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Creates a signature of <paramref name="count"/> <c>i32</c> parameters, as every allocator and kernel export has.</summary>
    public static WasmSignature Int32s(int count, ValueKind? result, string text)
    {
        var parameters = new ValueKind[count];
        parameters.AsSpan().Fill(ValueKind.Int32);
        return new WasmSignature(parameters, result, text);
    }

    /// <summary>
    /// The signature of a delegate with parameter types <paramref name="parameters"/> (<see cref="None"/> where it has
    /// fewer) and result type <paramref name="result"/> (<see cref="None"/> for an <c>Action</c>), each crossing as its
    /// <see cref="WasmTypes"/> row says: the one signature builder of exports and imports.
    /// </summary>
    /// <exception cref="NotSupportedException">A type cannot cross on that side, or there are more than <see cref="MaxParameters"/> wasm parameters.</exception>
    public static WasmSignature Of(Type[] parameters, Type result, Side side)
    {
        var kinds = new List<ValueKind>(parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            Type type = parameters[i];
            if (type == typeof(None) || (side == Side.Import && i == 0 && type == typeof(GuestMemory)))
            {
                continue;
            }

            WasmType? row = WasmTypes.Find(type);
            if (row is null || (side == Side.Import && row.IsBuffer))
            {
                throw new NotSupportedException(side == Side.Export
                    ? $"Parameter type {type.Name} cannot cross into WebAssembly; use {WasmTypes.ScalarNames} or a WasmBuffer<T>."
                    : $"Parameter type {type.Name} cannot cross from WebAssembly into a host function; use {WasmTypes.ScalarNames}, after an optional leading GuestMemory.");
            }

            kinds.Add(row.Kind);
        }

        if (kinds.Count > MaxParameters)
        {
            throw new NotSupportedException(side == Side.Export
                ? $"An export takes at most {MaxParameters} parameters."
                : $"A host function takes at most {MaxParameters} parameters of WebAssembly values, after an optional leading GuestMemory.");
        }

        WasmType? resultRow = result == typeof(None) ? null : WasmTypes.Find(result);
        if (resultRow is { IsBuffer: true })
        {
            resultRow = null;
        }

        if (resultRow is null && result != typeof(None) && side == Side.Export)
        {
            throw new NotSupportedException($"Result type {result.Name} cannot come back from WebAssembly; use {WasmTypes.ScalarNames}.");
        }

        // An import's Func whose result cannot cross (C# binds `() => name = "x"` to Func<string>) returns nothing.
        return new WasmSignature(kinds.ToArray(), resultRow?.Kind);
    }
}
