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
    /// A returned host is reused when it is clean: not faulted, with no buffer still alive, and in the state it
    /// started in as far as the pool can see. Linear memory's contents, globals, tables the module does not export,
    /// and the allocator's state inside the memory the host started with (free blocks, fragmentation) carry over to
    /// the next lease, so use it only for a module you trust to leave no request's data behind that matters.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The pool records each host's state when it is made and compares it when the host is returned; a host that
    /// differs is disposed and replaced as with <see cref="Never"/>: linear memory grown past its starting size (a
    /// tenant's heap, perhaps fragmented at <see cref="InstanceOptions.MaxMemoryBytes"/>, whose free blocks the pool
    /// cannot see, could fail the next tenant's allocation with no buffer alive); an exported table grown, shrunk or
    /// with any element changed; or, for a module that imports WASI, a descriptor opened, closed, renumbered or with
    /// its flags changed (an open file would otherwise stay open, at its number, for the next tenant).
    /// </para>
    /// <para>
    /// What the pool cannot check: memory's contents and globals (reading them would mean knowing the module; they
    /// are the state reuse exists to keep), tables the module does not export (Wasmtime gives the host no handle to
    /// them), and a descriptor left open more than 16 numbers past the highest a new host has, which a tenant reaches
    /// only by holding more than 16 open at once (the census asks <c>fd_fdstat_get</c> of each number in turn, a few
    /// microseconds per return, and Wasmtime numbers a new descriptor with the lowest free number or the next past
    /// the highest open). A host whose memory grows on every lease is replaced on every lease, as with <see cref="Never"/>.
    /// </para>
    /// </remarks>
    WhenClean = 1,
}
