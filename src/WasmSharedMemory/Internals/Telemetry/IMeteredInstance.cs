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

    /// <summary>Reads the size of its linear memory unless doing so would wait for a call in progress; safe from any thread.</summary>
    bool TryReadMemoryBytes(out long bytes);
}
