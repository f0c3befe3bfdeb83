namespace WasmSharedMemory.Internals.Parallel;

/// <summary>
/// From how many bytes per operand a parallel module splits a call, measured on the 2-core machine CI runs on
/// (docs/parallel.md has the figures): below them one instance is faster, since a hand-off to a worker costs
/// about 0.1–0.2 µs when it is awake and a wake-up of 5–20 µs when it is parked.
/// </summary>
internal static class SplitThresholds
{
    /// <summary>With every worker awake (spinning after a recent call).</summary>
    public const long AwakeBytes = 64 * 1024;

    /// <summary>When a worker is parked and must be woken first.</summary>
    public const long ParkedBytes = 2 * 1024 * 1024;

    /// <summary>The smallest block a split call is cut into, per operand.</summary>
    public const long MinBlockBytes = 32 * 1024;
}
