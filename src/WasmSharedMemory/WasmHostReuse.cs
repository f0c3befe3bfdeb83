namespace WasmSharedMemory;

/// <summary>What a <see cref="WasmHostPool"/> does with a host when its lease is returned.</summary>
public enum WasmHostReuse
{
    /// <summary>
    /// Every lease gets a fresh instance: a returned host is disposed and the next rent instantiates a new one,
    /// so nothing one lease left in linear memory, globals or tables reaches the next. For untrusted modules and
    /// per-customer code. Instantiation is the cost (microseconds once the module is compiled).
    /// </summary>
    Never = 0,

    /// <summary>
    /// A returned host is reused when it is clean: not faulted and with no buffer still alive. Its linear memory,
    /// globals and allocator state carry over to the next lease, so use it only for a module you trust to leave
    /// no request's data behind that matters. A host returned faulted or holding buffers is disposed as with
    /// <see cref="Never"/>.
    /// </summary>
    WhenClean = 1,
}
