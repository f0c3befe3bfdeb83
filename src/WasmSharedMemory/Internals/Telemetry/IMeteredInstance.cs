namespace WasmSharedMemory.Internals.Telemetry;

/// <summary>What the observable gauges read of one live instance, on the collecting listener's thread.</summary>
internal interface IMeteredInstance
{
    /// <summary>Gets the name its measurements are tagged with.</summary>
    string ModuleName { get; }

    /// <summary>Gets its live buffers; safe from any thread.</summary>
    int LiveBuffers { get; }

    /// <summary>Gets the bytes of its live buffers; safe from any thread.</summary>
    long LiveBytes { get; }

    /// <summary>Gets the size of its linear memory as last recorded (never read from the gauge's thread); safe from any thread.</summary>
    long MemoryBytes { get; }
}
