using System.ComponentModel;

namespace WasmSharedMemory.Bindings;

/// <summary>
/// The arguments of one call of a generated binding's export, as a struct: <see cref="WasmBinding.Call{TCall, TResult}"/>
/// runs <see cref="Invoke"/> inside the one guarded call, so the JIT specializes the whole path and nothing is allocated.
/// </summary>
/// <typeparam name="TResult">The export's .NET result type.</typeparam>
/// <remarks>For the source generator's code; not meant to be implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWasmCall<TResult>
{
    /// <summary>Writes the arguments into <paramref name="frame"/>, calls <see cref="WasmCallFrame.Invoke"/>, reads back <see langword="out"/> and <see langword="ref"/> values into this struct and returns the result.</summary>
    /// <param name="frame">The call in progress, valid only during this method.</param>
    /// <returns>The export's result.</returns>
    TResult Invoke(ref WasmCallFrame frame);
}
