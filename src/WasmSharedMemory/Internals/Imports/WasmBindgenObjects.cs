using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// The .NET side of wasm-bindgen's object heap for one instance: the JavaScript values a module built without
/// reference types holds by index (<c>JsValue</c>), as the package's JavaScript keeps them in its <c>heap</c> array.
/// </summary>
/// <remarks>
/// Indices below <see cref="FirstIndex"/> are never handed out. The four constants (undefined, null, true, false) sit
/// at 32–35 in builds of wasm-bindgen before 0.2.84 and at 128–131 after, as each build's Rust code has them compiled
/// in; both ranges read as those constants, and dropping one does nothing, as in the JavaScript.
/// Only the instance's calling thread touches it (host functions run inside the instance's gate).
/// </remarks>
internal sealed class WasmBindgenObjects
{
    /// <summary>The first index a new value gets: past both versions' reserved ranges.</summary>
    public const int FirstIndex = 132;

    private readonly List<object?> _values = new();
    private readonly Stack<int> _free = new();

    /// <summary>Gets the values held, for <c>__wbindgen_externref_heap_live_count</c> and tests.</summary>
    public int LiveCount => _values.Count - _free.Count;

    /// <summary>Holds <paramref name="value"/> and returns its index.</summary>
    public int Add(object? value)
    {
        if (_free.Count != 0)
        {
            int index = _free.Pop();
            _values[index - FirstIndex] = value;
            return index;
        }

        _values.Add(value);
        return FirstIndex + _values.Count - 1;
    }

    /// <summary>Returns the value at <paramref name="index"/>.</summary>
    /// <exception cref="WasmSharedMemoryException">The index holds nothing: the guest used a value it had dropped.</exception>
    public object? Get(int index)
    {
        if (Constant(index) is { } constant)
        {
            return constant.Value;
        }

        int slot = index - FirstIndex;
        if ((uint)slot >= (uint)_values.Count || _values[slot] is Dropped)
        {
            throw new WasmSharedMemoryException($"wasm-bindgen: the module used JsValue index {index}, which holds no value (never given out, or already dropped).");
        }

        return _values[slot];
    }

    /// <summary>Releases the value at <paramref name="index"/>; a constant's index is left alone.</summary>
    /// <exception cref="WasmSharedMemoryException">The index holds nothing.</exception>
    public void Drop(int index)
    {
        if (Constant(index) is not null)
        {
            return;
        }

        _ = Get(index);
        _values[index - FirstIndex] = Dropped.Instance;
        _free.Push(index);
    }

    /// <summary>Returns the value and releases its index, as the JavaScript's <c>takeObject</c> does.</summary>
    public object? Take(int index)
    {
        object? value = Get(index);
        Drop(index);
        return value;
    }

    private static Box? Constant(int index) => index switch
    {
        32 or 128 => new Box(JsUndefined.Value),
        33 or 129 => new Box(null),
        34 or 130 => new Box(true),
        35 or 131 => new Box(false),
        _ => null,
    };

    private readonly struct Box
    {
        public Box(object? value) => Value = value;

        public object? Value { get; }
    }

    private sealed class Dropped
    {
        public static readonly Dropped Instance = new();
    }
}

/// <summary>JavaScript's <c>undefined</c>, which .NET has no value for (<see langword="null"/> is JavaScript's <c>null</c>).</summary>
internal sealed class JsUndefined
{
    public static readonly JsUndefined Value = new();

    public override string ToString() => "undefined";
}

/// <summary>A JavaScript <c>Error</c>, as <c>__wbindgen_error_new</c> makes one.</summary>
internal sealed class JsError
{
    public JsError(string message) => Message = message;

    public string Message { get; }

    public override string ToString() => "Error: " + Message;
}

/// <summary>A value <c>__wbindgen_json_parse</c> made from an object or array: kept as its JSON text, which <c>__wbindgen_json_serialize</c> gives back.</summary>
internal sealed class JsJson
{
    public JsJson(string text) => Text = text;

    public string Text { get; }

    public bool IsArray => Text.TrimStart().StartsWith("[", StringComparison.Ordinal);

    public override string ToString() => Text;
}

/// <summary>What <c>__wbindgen_memory</c>, <c>__wbindgen_module</c> and the like return: a handle to the module itself, usable only as a value.</summary>
internal sealed class JsModuleObject
{
    public JsModuleObject(string what) => What = what;

    public string What { get; }

    public override string ToString() => "[object " + What + "]";
}
