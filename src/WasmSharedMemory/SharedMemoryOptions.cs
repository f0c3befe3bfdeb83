namespace WasmSharedMemory;

/// <summary>Limits and parallelism of one loaded kernel module; the limits it shares with <see cref="WasmHostOptions"/> come from <see cref="InstanceOptions"/>.</summary>
public sealed class SharedMemoryOptions : InstanceOptions
{
    /// <summary>
    /// Gets or sets how many instances of the kernel module share the module's one linear memory, each running
    /// on its own thread; 1 (the default) is a single instance on the calling thread.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Above 1 the module is a WebAssembly <c>shared</c> memory imported by this many instances, and element-wise
    /// kernels and dot products large enough to pay for the hand-off (from 64 KiB per operand while the workers are
    /// awake, 2 MiB when one must be woken; a stream of smaller calls wakes them) split across them: the calling thread runs one part, a kept-alive worker
    /// thread per extra instance runs each other part, and the call returns when all are done. Results are bit-identical
    /// to <c>Parallelism = 1</c>. Smaller calls run on one instance, as before. Everything else is unchanged: spans
    /// over the same memory, one allocator, the counters, faults, thread safety.
    /// </para>
    /// <para>
    /// The instances also serve calls from different threads at once: a kernel call below the split size that finds
    /// the module's own instance busy with another thread's call runs whole on an idle instance, bit-identical, and
    /// waits only when every instance is busy (a call of the split size waits, then splits across all of them).
    /// Allocations, frees and exports stay serialized on the module's own instance; disposing a buffer that such a
    /// call uses waits for the call to end, then frees it.
    /// </para>
    /// <para>
    /// Each worker spins for about 0.2 ms after a call, so back-to-back calls find it awake, and then parks.
    /// Dispose the module to stop its workers. Values from 2 up to the number of cores pay; more instances than
    /// cores only contend, and so do cores busy with other work: a split call waits for every block it handed
    /// out, so a worker the operating system preempts slows the call down. Where cores are not free, use 1.
    /// </para>
    /// <para>
    /// Wasmtime.Dotnet has no API for shared memories, so the library reaches them through Wasmtime's C API, and
    /// only on the Wasmtime.Dotnet version it was built against: on another, a value above 1 makes <c>Load</c>
    /// throw <see cref="System.NotSupportedException"/> saying so. Wasmtime classes WebAssembly threads as a tier-2 feature.
    /// </para>
    /// </remarks>
    public int Parallelism { get; set; } = 1;

    /// <summary>
    /// Gets or sets a directory where the kernel module's compiled code is kept between processes, or
    /// <see langword="null"/> (the default) to compile it once per process. Read by the first load of each build in
    /// a process; entries follow the rules of <see cref="WasmModuleOptions.CacheDirectory"/>: used only after their
    /// digest verifies, replaced when damaged or foreign, written atomically; a directory that is unusable costs a
    /// compile, never a failed load, and a failed first load caches nothing, so a later load is unaffected.
    /// </summary>
    public string? CacheDirectory { get; set; }
}
