namespace WasmSharedMemory.Internals.Telemetry;

/// <summary>The values of the <c>wasmsharedmemory.cache.result</c> tag: how a module's compiled code was had.</summary>
internal static class CacheResults
{
    /// <summary>Loaded from the cache after its digest verified.</summary>
    public const string Hit = "hit";

    /// <summary>No cache directory was given: compiled, nothing looked up.</summary>
    public const string Off = "off";

    /// <summary>Compiled: the cache had no entry for the key.</summary>
    public const string Absent = "absent";

    /// <summary>Compiled: the entry was truncated, its digest did not match, or it was written for another key (corrupt, tampered or foreign).</summary>
    public const string Rejected = "rejected";

    /// <summary>Compiled: the entry verified but Wasmtime refused it (another engine build or settings).</summary>
    public const string Incompatible = "incompatible";

    /// <summary>Compiled: the cache could not be read (permissions, I/O).</summary>
    public const string Unreadable = "unreadable";
}
