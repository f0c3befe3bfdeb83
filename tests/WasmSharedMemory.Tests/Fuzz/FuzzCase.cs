using System;
using System.Linq;
using CsCheck;

namespace WasmSharedMemory.Tests.Fuzz;

/// <summary>What one step of a fuzzed sequence does.</summary>
internal enum FuzzOp
{
    Allocate,
    Write,
    Multiply,
    Read,
    Dispose,
    DisposeTwice,
    UseAfterDispose,
    Misuse,
    Adopt,
}

/// <summary>The element types the fuzzer allocates.</summary>
internal enum ElementKind
{
    Byte,
    Int32,
    Single,
    Double,
    Vector3,
}

/// <summary>
/// One step. Its numbers are read relative to the state it meets (<see cref="Pick"/> modulo the live buffers,
/// <see cref="Mode"/> modulo the variants of the operation), so every sequence, and every sequence CsCheck
/// shrinks it to, is valid.
/// </summary>
internal readonly record struct FuzzStep(FuzzOp Op, ElementKind Kind, int Length, int Pick, int Mode, int Seed)
{
    public override string ToString() => $"{Op}({Kind}, length {Length}, pick {Pick}, mode {Mode}, seed {Seed})";
}

/// <summary>A sequence of steps on one freshly loaded module with a memory limit.</summary>
internal sealed record FuzzCase(long MaxMemoryBytes, bool DisposeModuleFirst, FuzzStep[] Steps)
{
    /// <summary>The limits sequences run under: the smallest sits just above the module's 17 initial pages, so it is hit often.</summary>
    public static readonly long[] Limits = { 2L << 20, 4L << 20, 16L << 20, 48L << 20 };

    public const int MaxSteps = 200;

    /// <summary>Lengths from 0 to a million elements, skewed toward small: most buffers are tiny, a few are megabytes.</summary>
    public static readonly Gen<int> Lengths = Gen.Frequency(
        (60, (IGen<int>)Gen.Int[0, 16]),
        (25, Gen.Int[17, 1024]),
        (12, Gen.Int[1025, 65536]),
        (3, Gen.Int[65537, 1 << 20]));

    public static readonly Gen<FuzzOp> Ops = Gen.Frequency(
        (28, FuzzOp.Allocate),
        (14, FuzzOp.Write),
        (16, FuzzOp.Multiply),
        (10, FuzzOp.Read),
        (18, FuzzOp.Dispose),
        (4, FuzzOp.DisposeTwice),
        (5, FuzzOp.UseAfterDispose),
        (5, FuzzOp.Misuse),
        (6, FuzzOp.Adopt));

    public static readonly Gen<FuzzStep> Step = Gen.Select(
        Ops, Gen.Enum<ElementKind>(), Lengths, Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16],
        (op, kind, length, pick, mode, seed) => new FuzzStep(op, kind, length, pick, mode, seed));

    public static readonly Gen<FuzzCase> Generator = Gen.Select(
        Gen.Int[0, Limits.Length - 1], Gen.Bool, Step.Array[1, MaxSteps],
        (limit, moduleFirst, steps) => new FuzzCase(Limits[limit], moduleFirst, steps));

    /// <summary>Prints a case as the lines a repro needs.</summary>
    public override string ToString() =>
        $"MaxMemoryBytes = {MaxMemoryBytes}, {(DisposeModuleFirst ? "module disposed before its buffers" : "buffers disposed before the module")}, {Steps.Length} steps:" +
        Environment.NewLine + string.Join(Environment.NewLine, Steps.Select((s, i) => $"  {i}: {s}"));
}
