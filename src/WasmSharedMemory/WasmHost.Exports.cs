using System;
using System.Threading;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory;

// Typed delegates for the module's own exports, one overload per arity (0 to 4 parameters), each a thin face
// over GuestExport, which calls through the same guarded path as allocations and kernels: serialized, traps
// mapped to WasmTrapException, the host faulted after a trap, the time limit and cancellation enforced.
public partial class WasmHost
{
    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action GetAction(string name) => GetAction(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action GetAction(string name, CancellationToken cancellationToken)
    {
        var export = Bind<None, None, None, None, None>(name, cancellationToken);
        return () => export.Call(default, default, default, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1> GetAction<T1>(string name) => GetAction<T1>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1> GetAction<T1>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, None, None, None, None>(name, cancellationToken);
        return a1 => export.Call(a1, default, default, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2> GetAction<T1, T2>(string name) => GetAction<T1, T2>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2> GetAction<T1, T2>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, T2, None, None, None>(name, cancellationToken);
        return (a1, a2) => export.Call(a1, a2, default, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3> GetAction<T1, T2, T3>(string name) => GetAction<T1, T2, T3>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3> GetAction<T1, T2, T3>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, T2, T3, None, None>(name, cancellationToken);
        return (a1, a2, a3) => export.Call(a1, a2, a3, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3, T4> GetAction<T1, T2, T3, T4>(string name) => GetAction<T1, T2, T3, T4>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3, T4> GetAction<T1, T2, T3, T4>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, T2, T3, T4, None>(name, cancellationToken);
        return (a1, a2, a3, a4) => export.Call(a1, a2, a3, a4);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns a value.</summary>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<TResult> GetFunction<TResult>(string name) => GetFunction<TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns a value, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<TResult> GetFunction<TResult>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<None, None, None, None, TResult>(name, cancellationToken);
        return () => export.Call(default, default, default, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns a value.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, TResult> GetFunction<T1, TResult>(string name) => GetFunction<T1, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns a value, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, TResult> GetFunction<T1, TResult>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, None, None, None, TResult>(name, cancellationToken);
        return a1 => export.Call(a1, default, default, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns a value.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, TResult> GetFunction<T1, T2, TResult>(string name) => GetFunction<T1, T2, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns a value, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, TResult> GetFunction<T1, T2, TResult>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, T2, None, None, TResult>(name, cancellationToken);
        return (a1, a2) => export.Call(a1, a2, default, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns a value.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, TResult> GetFunction<T1, T2, T3, TResult>(string name) => GetFunction<T1, T2, T3, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns a value, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, TResult> GetFunction<T1, T2, T3, TResult>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, T2, T3, None, TResult>(name, cancellationToken);
        return (a1, a2, a3) => export.Call(a1, a2, a3, default);
    }

    /// <summary>Gets a guarded delegate for the exported function that returns a value.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, T4, TResult> GetFunction<T1, T2, T3, T4, TResult>(string name) => GetFunction<T1, T2, T3, T4, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns a value, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/> or a <see cref="WasmBuffer{T}"/> (passed as its <c>i32</c> address, checked at each call).</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="NotSupportedException">A type argument cannot cross into WebAssembly.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, T4, TResult> GetFunction<T1, T2, T3, T4, TResult>(string name, CancellationToken cancellationToken)
    {
        var export = Bind<T1, T2, T3, T4, TResult>(name, cancellationToken);
        return (a1, a2, a3, a4) => export.Call(a1, a2, a3, a4);
    }
}
