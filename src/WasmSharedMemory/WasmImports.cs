using System;
using System.Collections.Generic;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Imports;

namespace WasmSharedMemory;

/// <summary>
/// The host functions a module may import, by module and name: <c>Action</c> and <c>Func</c> callbacks of up to 4
/// <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/> parameters, each optionally
/// preceded by a <see cref="GuestMemory"/> that views the calling module's memory without copying.
/// </summary>
/// <remarks>
/// <para>
/// Each import of a module is checked at load against what is defined for it: a different signature, or an
/// import that nothing defines, is refused with <see cref="WasmContractException"/> naming it. Functions no
/// module imports are ignored, so one set may serve several modules. WASI preview 1 is the host's own, and
/// toolchains' standard imports (AssemblyScript's <c>env.abort</c>, <c>env.trace</c> and <c>env.seed</c>,
/// Emscripten's <c>env.emscripten_notify_memory_growth</c>) have built-in definitions that one defined here replaces.
/// </para>
/// <para>
/// A callback runs on the thread that called into the module, inside that call: it may use the
/// <see cref="GuestMemory"/>, allocate from its own <see cref="WasmHost"/> and call the host's exports, which run
/// under the limits of the call that led there. An exception it throws traps the module; the call that led there
/// throws <see cref="WasmTrapException"/> with that exception as its <see cref="Exception.InnerException"/>, and
/// the host is faulted. Define every function before loading; a set is not safe to change while a load reads it.
/// </para>
/// <para>
/// A <c>Func</c> may define an import that returns nothing; its result is discarded. C# binds lambdas such as
/// <c>() => count++</c> or <c>code => throw new ExitException(code)</c> to a <c>Func</c> overload, so this lets
/// them define such imports as written.
/// </para>
/// </remarks>
public sealed class WasmImports
{
    private const string WasiModule = "wasi_snapshot_preview1";

    private readonly Dictionary<(string Module, string Name), IHostFunction> _functions = new();

    // Every overload is a thin face over HostFunction, the one generic core that checks the parameter types,
    // computes the wasm signature and converts the arguments; unused positions are None. A Func whose result
    // type cannot cross (C# binds `() => flag = true` to Func<bool>) defines an import that returns nothing.

    /// <summary>Defines a host function that returns nothing, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define(string module, string name, Action callback) =>
        Add(module, name, callback, c => new HostFunction<None, None, None, None, None, None>((_, _, _, _, _) => { c(); return default; }));

    /// <summary>Defines a host function that returns nothing, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1>(string module, string name, Action<T1> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, None, None, None, None, None>((a1, _, _, _, _) => { c(a1); return default; }));

    /// <summary>Defines a host function that returns nothing, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2>(string module, string name, Action<T1, T2> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, None, None, None, None>((a1, a2, _, _, _) => { c(a1, a2); return default; }));

    /// <summary>Defines a host function that returns nothing, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, T3>(string module, string name, Action<T1, T2, T3> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, T3, None, None, None>((a1, a2, a3, _, _) => { c(a1, a2, a3); return default; }));

    /// <summary>Defines a host function that returns nothing, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, T3, T4>(string module, string name, Action<T1, T2, T3, T4> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, T3, T4, None, None>((a1, a2, a3, a4, _) => { c(a1, a2, a3, a4); return default; }));

    /// <summary>Defines a host function that returns nothing, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T5">The fifth parameter's type, allowed only after a leading <see cref="GuestMemory"/>: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, T3, T4, T5>(string module, string name, Action<T1, T2, T3, T4, T5> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, T3, T4, T5, None>((a1, a2, a3, a4, a5) => { c(a1, a2, a3, a4, a5); return default; }));

    /// <summary>Defines a host function that returns a value, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>; of any other type the result is dropped and the import returns nothing.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<TResult>(string module, string name, Func<TResult> callback) =>
        Add(module, name, callback, c => new HostFunction<None, None, None, None, None, TResult>((_, _, _, _, _) => c()));

    /// <summary>Defines a host function that returns a value, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>; of any other type the result is dropped and the import returns nothing.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, TResult>(string module, string name, Func<T1, TResult> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, None, None, None, None, TResult>((a1, _, _, _, _) => c(a1)));

    /// <summary>Defines a host function that returns a value, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>; of any other type the result is dropped and the import returns nothing.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, TResult>(string module, string name, Func<T1, T2, TResult> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, None, None, None, TResult>((a1, a2, _, _, _) => c(a1, a2)));

    /// <summary>Defines a host function that returns a value, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>; of any other type the result is dropped and the import returns nothing.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, T3, TResult>(string module, string name, Func<T1, T2, T3, TResult> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, T3, None, None, TResult>((a1, a2, a3, _, _) => c(a1, a2, a3)));

    /// <summary>Defines a host function that returns a value, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>; of any other type the result is dropped and the import returns nothing.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, T3, T4, TResult>(string module, string name, Func<T1, T2, T3, T4, TResult> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, T3, T4, None, TResult>((a1, a2, a3, a4, _) => c(a1, a2, a3, a4)));

    /// <summary>Defines a host function that returns a value, for the module import <paramref name="module"/>.<paramref name="name"/>.</summary>
    /// <typeparam name="T1">The first parameter's type: <see cref="GuestMemory"/> (the calling module's memory, taking no wasm parameter), <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T2">The second parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T3">The third parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T4">The fourth parameter's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="T5">The fifth parameter's type, allowed only after a leading <see cref="GuestMemory"/>: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TResult">The result's type: <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>; of any other type the result is dropped and the import returns nothing.</typeparam>
    /// <param name="module">The import's module name, such as <c>env</c>.</param>
    /// <param name="name">The import's name.</param>
    /// <param name="callback">Called on the calling thread whenever the module calls the import; an exception it throws traps the module. See <see cref="WasmImports"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/>, <paramref name="name"/> or <paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> or <paramref name="name"/> is empty, <paramref name="module"/> is WASI's, or a function is already defined by that name.</exception>
    /// <exception cref="NotSupportedException">A parameter type cannot cross from WebAssembly, <see cref="GuestMemory"/> is not the first parameter, or there are more than 4 other parameters.</exception>
    public void Define<T1, T2, T3, T4, T5, TResult>(string module, string name, Func<T1, T2, T3, T4, T5, TResult> callback) =>
        Add(module, name, callback, c => new HostFunction<T1, T2, T3, T4, T5, TResult>((a1, a2, a3, a4, a5) => c(a1, a2, a3, a4, a5)));

    /// <summary>Defines a function built elsewhere (a generated binding's import), with the checks every <c>Define</c> makes.</summary>
    internal void Define(string module, string name, IHostFunction function) => Add(module, name, () => function, create => create());

    /// <summary>Returns the function defined for <paramref name="module"/>.<paramref name="name"/>, or null.</summary>
    internal IHostFunction? Find(string module, string name) => _functions.TryGetValue((module, name), out IHostFunction? function) ? function : null;

    private void Add<TDelegate>(string module, string name, TDelegate? callback, Func<TDelegate, IHostFunction> create)
        where TDelegate : Delegate
    {
        if (module is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(module));
        }

        if (name is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(name));
        }

        if (callback is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(callback));
        }

        if (module.Length == 0 || name.Length == 0)
        {
            throw new ArgumentException("An import's module and name must not be empty.", module.Length == 0 ? nameof(module) : nameof(name));
        }

        if (module == WasiModule)
        {
            throw new ArgumentException($"WASI preview 1 ({WasiModule}) is the host's own; grant what it may reach through WasmHostOptions instead.", nameof(module));
        }

        if (_functions.ContainsKey((module, name)))
        {
            throw new ArgumentException($"A host function is already defined for {module}.{name}.", nameof(name));
        }

        _functions.Add((module, name), create(callback));
    }
}
