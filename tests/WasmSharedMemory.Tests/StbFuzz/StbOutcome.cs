namespace WasmSharedMemory.Tests.StbFuzz;

/// <summary>How one decode-then-resize request ended: every one of these is a documented result or exception.</summary>
internal enum StbOutcome
{
    /// <summary>Decoded and resized.</summary>
    Decoded,

    /// <summary><c>stbi_load_from_memory</c> returned 0: stb refused the file (its own out-of-memory included).</summary>
    DecodeFailed,

    /// <summary><c>stbir_resize_uint8</c> returned 0.</summary>
    ResizeFailed,

    /// <summary><see cref="WasmTrapException"/>: stb trapped (an assert, an out-of-bounds access); the host is faulted.</summary>
    Trap,

    /// <summary><see cref="System.TimeoutException"/>: a call ran past <c>CallTimeout</c>; the host is faulted.</summary>
    Timeout,

    /// <summary><see cref="WasmOutOfMemoryException"/>: a block the host asked for did not fit under <c>MaxMemoryBytes</c>.</summary>
    OutOfMemory,
}
