using System;

namespace WasmSharedMemory.Tests;

/// <summary>Deterministic inputs that exercise IEEE edge cases without producing NaN, whose bits wasm leaves unspecified.</summary>
internal static class TestData
{
    private static readonly float[] s_singleEdges = { 0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1e-30f, float.MaxValue, -float.MaxValue, 3.4e19f, 1.17549435e-38f };
    private static readonly double[] s_doubleEdges = { 0d, -0d, 1d, -1d, double.Epsilon, -double.Epsilon, 1e-300, double.MaxValue, -double.MaxValue, 1.3e154, 2.2250738585072014e-308 };
    private static readonly int[] s_int32Edges = { 0, 1, -1, int.MaxValue, int.MinValue, 65536, 46341, -46341 };

    public static float[] Singles(int length, int seed) => Fill(length, seed, s_singleEdges, r => (float)((r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-60, 60))));

    public static double[] Doubles(int length, int seed) => Fill(length, seed, s_doubleEdges, r => (r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-500, 500)));

    public static int[] Int32s(int length, int seed) => Fill(length, seed, s_int32Edges, r => r.Next(int.MinValue, int.MaxValue));

    /// <summary>Values in [-1000, 1000] with a few exact edges, for sums that must not overflow to NaN.</summary>
    public static float[] BoundedSingles(int length, int seed) => Fill(length, seed, new[] { 0f, -0f, 1f, -1f, 16777216f, -16777216f }, r => (float)((r.NextDouble() - 0.5) * 2000));

    /// <summary>Values in [-1000, 1000] with a few exact edges, for sums that must not overflow to NaN.</summary>
    public static double[] BoundedDoubles(int length, int seed) => Fill(length, seed, new[] { 0d, -0d, 1d, -1d, 9007199254740992d, -9007199254740992d }, r => (r.NextDouble() - 0.5) * 2000);

    // Edge values lead, so short lengths hit them too; both operands draw from the same edges, so products
    // like MaxValue × MaxValue (overflow to infinity) and Epsilon × 1e-30 (underflow) occur.
    private static T[] Fill<T>(int length, int seed, T[] edges, Func<Random, T> next)
    {
        var random = new Random(seed * 7919 + length);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = i < edges.Length ? edges[(i + seed) % edges.Length] : next(random);
        }

        return values;
    }
}
