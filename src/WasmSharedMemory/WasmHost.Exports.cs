using System;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory;

// Typed delegates for the module's own exports, one overload per arity (0 to 4 parameters), each with the
// protections of the built-in kernels: serialized, traps mapped to WasmTrapException, the host faulted
// after a trap, the call time limit and cancellation enforced.
public sealed partial class WasmHost
{

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action GetAction(string name) => GetAction(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action GetAction(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetAction(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(null));
        return () =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    export();
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1> GetAction<T1>(string name) => GetAction<T1>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1> GetAction<T1>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetAction<T1>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(null, typeof(T1)));
        return a1 =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    export(a1);
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2> GetAction<T1, T2>(string name) => GetAction<T1, T2>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2> GetAction<T1, T2>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetAction<T1, T2>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(null, typeof(T1), typeof(T2)));
        return (a1, a2) =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    export(a1, a2);
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3> GetAction<T1, T2, T3>(string name) => GetAction<T1, T2, T3>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3> GetAction<T1, T2, T3>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetAction<T1, T2, T3>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(null, typeof(T1), typeof(T2), typeof(T3)));
        return (a1, a2, a3) =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    export(a1, a2, a3);
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function that returns nothing.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3, T4> GetAction<T1, T2, T3, T4>(string name) => GetAction<T1, T2, T3, T4>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function that returns nothing, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Action<T1, T2, T3, T4> GetAction<T1, T2, T3, T4>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetAction<T1, T2, T3, T4>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(null, typeof(T1), typeof(T2), typeof(T3), typeof(T4)));
        return (a1, a2, a3, a4) =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    export(a1, a2, a3, a4);
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function.</summary>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<TResult> GetFunction<TResult>(string name) => GetFunction<TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<TResult> GetFunction<TResult>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetFunction<TResult>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(typeof(TResult)));
        return () =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    return export()!;
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, TResult> GetFunction<T1, TResult>(string name) => GetFunction<T1, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, TResult> GetFunction<T1, TResult>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetFunction<T1, TResult>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(typeof(TResult), typeof(T1)));
        return a1 =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    return export(a1)!;
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, TResult> GetFunction<T1, T2, TResult>(string name) => GetFunction<T1, T2, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, TResult> GetFunction<T1, T2, TResult>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetFunction<T1, T2, TResult>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(typeof(TResult), typeof(T1), typeof(T2)));
        return (a1, a2) =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    return export(a1, a2)!;
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, TResult> GetFunction<T1, T2, T3, TResult>(string name) => GetFunction<T1, T2, T3, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, TResult> GetFunction<T1, T2, T3, TResult>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetFunction<T1, T2, T3, TResult>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(typeof(TResult), typeof(T1), typeof(T2), typeof(T3)));
        return (a1, a2, a3) =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    return export(a1, a2, a3)!;
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    /// <summary>Gets a guarded delegate for the exported function.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, T4, TResult> GetFunction<T1, T2, T3, T4, TResult>(string name) => GetFunction<T1, T2, T3, T4, TResult>(name, CancellationToken.None);

    /// <summary>Gets a guarded delegate for the exported function, whose calls stop when <paramref name="cancellationToken"/> is canceled.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="name">The export's name.</param>
    /// <param name="cancellationToken">Checked before each call and every <see cref="InterruptCheckInterval"/> during it; a call it stops throws <see cref="OperationCanceledException"/> and faults the host.</param>
    /// <returns>A delegate whose calls are serialized and guarded; see <see cref="WasmHost"/>.</returns>
    /// <exception cref="WasmContractException">The module has no such export, or its signature differs; the message gives both.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public Func<T1, T2, T3, T4, TResult> GetFunction<T1, T2, T3, T4, TResult>(string name, CancellationToken cancellationToken)
    {
        GuestInstance guest = Bindable(name);
        var export = guest.Instance.GetFunction<T1, T2, T3, T4, TResult>(name) ?? throw ExportSignatures.Mismatch(_module, name, ExportSignatures.Expected(typeof(TResult), typeof(T1), typeof(T2), typeof(T3), typeof(T4)));
        return (a1, a2, a3, a4) =>
        {
            lock (guest.Gate)
            {
                guest.BeginCall(cancellationToken);
                try
                {
                    return export(a1, a2, a3, a4)!;
                }
                catch (WasmtimeException ex)
                {
                    throw guest.CallFailed(name, ex);
                }
            }
        };
    }

    private GuestInstance Bindable(string name)
    {
        if (name is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(name));
        }

        if (_guest.IsDisposed)
        {
            ThrowHelper.ThrowModuleDisposed();
        }

        return _guest;
    }
}
