using System;
using System.IO;
using System.Threading;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <c>Modules/call_limits.wat</c>, which the call-limit tests load, and the host functions it imports: a call back in
/// (<c>env.call_back</c>) and what its reactor <c>_initialize</c> does at load (<c>env.init_work</c>, <c>env.init_arg</c>).
/// </summary>
internal static class CallLimitsModule
{
    /// <summary><c>env.call_back(what, arg)</c>: call <c>quick()</c>.</summary>
    public const int NestQuick = 0;

    /// <summary><c>env.call_back(what, arg)</c>: call <c>spin()</c>.</summary>
    public const int NestSpin = 1;

    /// <summary><c>env.call_back(what, arg)</c>: burn <c>arg</c> iterations, in nested calls of at most <see cref="BurnUnit"/> each.</summary>
    public const int NestBurn = 2;

    /// <summary><c>env.call_back(what, arg)</c>: call <c>grow(arg)</c>.</summary>
    public const int NestGrow = 3;

    /// <summary>The fuel every call is given where a test sets <see cref="WasmHostOptions.FuelPerCall"/>.</summary>
    public const ulong Fuel = 1_000_000;

    /// <summary>Iterations of <c>burn</c> that use about 60 % of <see cref="Fuel"/> (8 instructions each): one fits a call's budget, two do not.</summary>
    public const int BurnUnit = 75_000;

    public static readonly string Text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Modules", "call_limits.wat"));

    // Compiled once per profile for the whole run; only hosts are per test (and leak-checked).
    private static readonly Lazy<WasmModule>[] s_compiled =
    {
        new(() => WasmModule.FromText(Text, new WasmModuleOptions { Interruptible = false, FuelMetered = false })),
        new(() => WasmModule.FromText(Text, new WasmModuleOptions { Interruptible = true, FuelMetered = false })),
        new(() => WasmModule.FromText(Text, new WasmModuleOptions { Interruptible = false, FuelMetered = true })),
        new(() => WasmModule.FromText(Text, new WasmModuleOptions { Interruptible = true, FuelMetered = true })),
    };

    /// <summary>What <c>_initialize</c> does at load.</summary>
    public enum InitWork
    {
        Nothing = 0,
        Spin = 1,
        Burn = 2,
        GrowTwice = 3,
    }

    /// <summary>
    /// Defines the module's imports in <paramref name="options"/>: <c>env.call_back</c> calls back into <paramref name="host"/>
    /// (once loaded) with <paramref name="token"/>, and <c>_initialize</c> does <paramref name="init"/> (<c>burn(initArg)</c>).
    /// </summary>
    /// <remarks><paramref name="onInit"/>, if given, runs as <c>_initialize</c> begins, inside the load.</remarks>
    public static WasmHostOptions Define(WasmHostOptions options, Func<WasmHost> host, Func<CancellationToken> token, InitWork init = InitWork.Nothing, int initArg = 0, Action? onInit = null)
    {
        options.Imports.Define<int, int, int>("env", "call_back", (what, arg) => CallBack(host(), token(), what, arg));
        options.Imports.Define("env", "init_work", () =>
        {
            onInit?.Invoke();
            return (int)init;
        });
        options.Imports.Define("env", "init_arg", () => initArg);
        return options;
    }

    /// <summary>Returns the module compiled with or without interruption checks and fuel metering.</summary>
    public static WasmModule Compiled(bool interruptible, bool fuel) => s_compiled[(interruptible ? 1 : 0) | (fuel ? 2 : 0)].Value;

    /// <summary>
    /// Instantiates the module compiled for <paramref name="interruptible"/> and, when <paramref name="options"/> sets
    /// <see cref="WasmHostOptions.FuelPerCall"/>, fuel, with its imports defined; a nested call uses <paramref name="token"/>.
    /// </summary>
    public static WasmHost Load(bool interruptible, WasmHostOptions options, Func<CancellationToken>? token = null, InitWork init = InitWork.Nothing, int initArg = 0, Action? onInit = null)
    {
        WasmHost? host = null;
        Define(options, () => host!, token ?? (() => default), init, initArg, onInit);
        host = Compiled(interruptible, options.FuelPerCall is not null).Instantiate(options: options);
        return host;
    }

    /// <summary>Reads the exported global <paramref name="name"/>.</summary>
    public static int Global(WasmHost host, string name) => (int)host.Guest.Instance.GetGlobal(name)!.GetValue()!;

    private static int CallBack(WasmHost host, CancellationToken token, int what, int arg)
    {
        switch (what)
        {
            case NestQuick:
                return host.GetFunction<int>("quick", token)();
            case NestSpin:
                host.GetAction("spin", token)();
                return 0;
            case NestBurn:
                for (; arg > 0; arg -= BurnUnit)
                {
                    host.GetFunction<int, int>("burn", token)(Math.Min(arg, BurnUnit));
                }

                return 0;
            case NestGrow:
                return host.GetFunction<int, int>("grow", token)(arg);
            default:
                throw new ArgumentOutOfRangeException(nameof(what));
        }
    }
}
