namespace WasmSharedMemory.Internals.Caching;

/// <summary>How a module's compiled code was had; lower-cased, the <c>wasmsharedmemory.cache.result</c> tag of the compile metrics.</summary>
internal enum CacheResult
{
    /// <summary>No cache directory was given: compiled, nothing looked up.</summary>
    Off,

    /// <summary>Loaded from the cache after its digest verified.</summary>
    Hit,

    /// <summary>Compiled: the cache had no entry for the key.</summary>
    Absent,

    /// <summary>Compiled: the entry was truncated, its digest did not match, it was written for another key (corrupt, tampered or foreign), or it is not a regular file.</summary>
    Rejected,

    /// <summary>Compiled: the entry verified but Wasmtime refused it (another engine build or settings).</summary>
    Incompatible,

    /// <summary>Compiled: the cache could not be read (permissions, I/O), or its directory is not a usable path.</summary>
    Unreadable,
}
