namespace WasmSharedMemory.Tests.CorpusFuzz;

/// <summary>How one request to a published module ended: every one of these is a documented result or exception.</summary>
internal enum CorpusOutcome
{
    /// <summary>The module returned a result, and it was checked (a round trip equal to its input, a seed's known output, a hash that repeats).</summary>
    Result,

    /// <summary>The module reported an error the way it documents one (zstd's error code, wasm-bindgen's <c>Err</c>); the host stays usable.</summary>
    GuestError,

    /// <summary>The request declined before calling: the frame's declared size is unknown or does not fit a 32-bit length.</summary>
    Refused,

    /// <summary><see cref="WasmTrapException"/>: the module trapped (a Rust panic, an abort, an out-of-bounds access); the host is faulted.</summary>
    Trap,

    /// <summary><see cref="System.TimeoutException"/>: a call ran past <c>CallTimeout</c>; the host is faulted.</summary>
    Timeout,

    /// <summary><see cref="WasmOutOfMemoryException"/>: a block the host asked for did not fit under <c>MaxMemoryBytes</c>.</summary>
    OutOfMemory,
}
