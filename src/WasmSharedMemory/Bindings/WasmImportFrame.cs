using System;
using System.ComponentModel;
using Wasmtime;
using WasmSharedMemory.Internals.Imports;

namespace WasmSharedMemory.Bindings;

/// <summary>One call from a module into a generated binding's import: its arguments, its result, and the calling module's memory.</summary>
/// <remarks>For the source generator's code; not meant to be used directly. Valid only during the callback it is passed to.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct WasmImportFrame
{
    private readonly HostCallScope _scope;
    private readonly ReadOnlySpan<ValueBox> _arguments;
    private readonly Span<ValueBox> _results;

    internal WasmImportFrame(HostCallScope scope, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        _scope = scope;
        _arguments = arguments;
        _results = results;
    }

    /// <summary>Gets the calling module's memory.</summary>
    /// <exception cref="InvalidOperationException">The module's start function called the import during instantiation.</exception>
    public GuestMemory Memory => _scope.Memory;

    /// <summary>Reads the <c>i32</c> argument at <paramref name="index"/>.</summary>
    /// <param name="index">The wasm parameter's position.</param>
    /// <returns>The argument.</returns>
    public int Int32(int index) => _arguments[index].AsInt32();

    /// <summary>Reads the <c>i64</c> argument at <paramref name="index"/>.</summary>
    /// <param name="index">The wasm parameter's position.</param>
    /// <returns>The argument.</returns>
    public long Int64(int index) => _arguments[index].AsInt64();

    /// <summary>Reads the <c>f32</c> argument at <paramref name="index"/>.</summary>
    /// <param name="index">The wasm parameter's position.</param>
    /// <returns>The argument.</returns>
    public float Float32(int index) => _arguments[index].AsSingle();

    /// <summary>Reads the <c>f64</c> argument at <paramref name="index"/>.</summary>
    /// <param name="index">The wasm parameter's position.</param>
    /// <returns>The argument.</returns>
    public double Float64(int index) => _arguments[index].AsDouble();

    /// <summary>Sets the <c>i32</c> result.</summary>
    /// <param name="value">The result.</param>
    public void Return(int value) => SetResult(value);

    /// <summary>Sets the <c>i64</c> result.</summary>
    /// <param name="value">The result.</param>
    public void Return(long value) => SetResult(value);

    /// <summary>Sets the <c>f32</c> result.</summary>
    /// <param name="value">The result.</param>
    public void Return(float value) => SetResult(value);

    /// <summary>Sets the <c>f64</c> result.</summary>
    /// <param name="value">The result.</param>
    public void Return(double value) => SetResult(value);

    private void SetResult(ValueBox value)
    {
        // An import declared without a result may still be defined by a method that returns one: it is dropped.
        if (_results.Length != 0)
        {
            _results[0] = value;
        }
    }
}
