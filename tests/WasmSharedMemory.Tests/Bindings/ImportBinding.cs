using System;
using System.Collections.Generic;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>Imports of any arity: twelve parameters, a leading <see cref="GuestMemory"/>, a result.</summary>
[WasmModule]
public sealed partial class ImportBinding
{
    /// <summary>Gets what the imports received, in order; per thread, so tests running in parallel do not mix.</summary>
    [System.ThreadStatic]
    private static List<string>? t_received;

    public static List<string> Received => t_received ??= new List<string>();

    [WasmExport("run")]
    public partial int Run(int seed);

    [WasmImport("env", "twelve")]
    private static void Twelve(int a, long b, float c, double d, uint e, bool f, short g, ulong h, byte i, sbyte j, Shade k, ushort l) =>
        Received.Add($"{a} {b} {c} {d} {e} {f} {g} {h} {i} {j} {k} {l}");

    [WasmImport("env", "log")]
    private static void Log(GuestMemory memory, uint text, int length) => Received.Add(memory.ReadUtf8(text, length));

    [WasmImport("env", "twice")]
    private static long Twice(long value) => value * 2;

    /// <summary>The seed for which <c>is_odd</c> throws, to trap the call.</summary>
    public const int Poison = 13;

    [WasmImport("env", "is_odd")]
    private static bool IsOdd(int value) => value == Poison ? throw new InvalidOperationException("poisoned") : (value & 1) != 0;
}
