namespace WasmSharedMemory;

/// <summary>How a <see cref="WasmModule"/> is compiled: its name, the checks compiled into its code, and where compiled code is cached.</summary>
/// <remarks>
/// Interruption checks are compiled into a module's code, so they are chosen here, once, and every host
/// instantiated from the module has them or not. A host of a module compiled without them refuses, when it is
/// created or when an export is bound, a <see cref="WasmHostOptions.CallTimeout"/>, a
/// <see cref="WasmHostOptions.LoadCancellationToken"/>, a <see cref="WasmHostOptions.FuelPerCall"/> or a
/// cancellation token it could not honor, instead of ignoring it.
/// </remarks>
public sealed class WasmModuleOptions
{
    /// <summary>
    /// Gets or sets the name the module's metrics are tagged with (<c>wasm.module.name</c>) and Wasmtime's messages
    /// use, or <see langword="null"/> for the file name without its extension (<see cref="WasmModule.FromFile"/>) or
    /// <c>module</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the module's code checks for interruption, so its hosts can take a
    /// <see cref="WasmHostOptions.CallTimeout"/>, a <see cref="WasmHostOptions.LoadCancellationToken"/> and
    /// cancellation tokens on their exports. Off by default: the checks cost loops about 20 %.
    /// </summary>
    public bool Interruptible { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the module's code meters fuel, so its hosts can (and must) take a
    /// <see cref="WasmHostOptions.FuelPerCall"/>. Off by default.
    /// </summary>
    public bool FuelMetered { get; set; }

    /// <summary>
    /// Gets or sets a directory where compiled code is kept between processes, or <see langword="null"/> to compile
    /// every time. Entries are keyed by the SHA-256 of the module's bytes, the engine's settings and the Wasmtime
    /// version, and created when missing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Loading compiled code maps it as executable, so an entry is used only after its contents verify against the
    /// SHA-256 digest stored with it: a corrupt, truncated, tampered or foreign entry is ignored, the module is
    /// compiled, and the entry replaced. Writes go to a temporary file that is then renamed, so processes may share
    /// one directory. A directory that cannot be read or written, or a value that is no usable path (<c>""</c>, a
    /// NUL), costs a compile, never a failed load. An entry is read only as far as its 84-byte header until that
    /// checks out, and its size is checked before it is opened: a garbage file of any size costs 84 bytes read, and a
    /// FIFO, device or socket under an entry's name is never opened, so it cannot block a load.
    /// </para>
    /// <para>
    /// The digest detects damage, not a forger: anyone who can write to the directory can write an entry that
    /// verifies. Use a directory only the service's own account can write to.
    /// </para>
    /// </remarks>
    public string? CacheDirectory { get; set; }
}
