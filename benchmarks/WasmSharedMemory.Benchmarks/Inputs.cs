using System;

namespace WasmSharedMemory.Benchmarks;

/// <summary>The factors every multiply benchmark uses: finite, normal values, so no row pays for denormals.</summary>
internal static class Inputs
{
    public static void Fill(Span<float> left, Span<float> right)
    {
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = (i % 1000) * 0.5f + 1f;
            right[i] = 1f + (i % 7) * 0.25f;
        }
    }
}
