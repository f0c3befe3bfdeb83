using System;
using System.Collections.Generic;
using System.Threading;

namespace WasmSharedMemory;

/// <summary>Limits, WASI grants and host functions for one <see cref="WasmHost"/>; the limits it shares with <see cref="SharedMemoryOptions"/> come from <see cref="InstanceOptions"/>.</summary>
public sealed class WasmHostOptions : InstanceOptions
{
    /// <summary>
    /// Gets or sets how long one call into the module may run, or <see langword="null"/> for no limit. A call
    /// that runs longer is interrupted and throws <see cref="TimeoutException"/>, and the host is faulted. It
    /// also bounds guest code run while loading, such as a start function.
    /// </summary>
    /// <remarks>
    /// Enforced with Wasmtime epoch interruption, checked every <see cref="WasmHost.InterruptCheckInterval"/>,
    /// so a runaway call stops within the timeout plus about one interval. Epochs interrupt WebAssembly code, not
    /// a host call, so the host's own WASI <c>poll_oneoff</c> ends a sleep (a clock subscription) at the deadline and
    /// the call throws <see cref="TimeoutException"/> as if it had been interrupted. A host function of your own that
    /// blocks cannot be interrupted: a call that returns past the timeout that way throws <see cref="TimeoutException"/>
    /// (what it returned is discarded) and faults the host all the same.
    /// </remarks>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>
    /// Gets or sets a token that stops guest code the module runs while it loads (a start function, the
    /// allocator ABI check): a load it stops throws <see cref="OperationCanceledException"/>. Calls after the
    /// load are not affected; give those their own token.
    /// </summary>
    /// <remarks>
    /// Checked before the load and every <see cref="WasmHost.InterruptCheckInterval"/> while load-time guest code
    /// runs. <see cref="CallTimeout"/> and <see cref="FuelPerCall"/> apply to load-time guest code as to any call.
    /// </remarks>
    public CancellationToken LoadCancellationToken { get; set; }

    /// <summary>
    /// Gets or sets the fuel each call may consume, or <see langword="null"/> to not meter fuel. Fuel makes a
    /// limit deterministic (the same call always stops at the same instruction) at some cost in speed.
    /// </summary>
    public ulong? FuelPerCall { get; set; }

    /// <summary>Gets a value indicating whether these options ask for what only a module compiled with interruption checks can honor: a <see cref="CallTimeout"/> or a cancelable <see cref="LoadCancellationToken"/>.</summary>
    internal bool NeedsInterruption => CallTimeout is not null || LoadCancellationToken.CanBeCanceled;

    /// <summary>Gets or sets a value indicating whether a WASI module's standard output goes to this process's.</summary>
    public bool InheritStandardOutput { get; set; }

    /// <summary>Gets or sets a value indicating whether a WASI module's standard error goes to this process's.</summary>
    public bool InheritStandardError { get; set; }

    /// <summary>Gets the environment variables a WASI module sees; none unless added.</summary>
    public IDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets or sets the name of the memory export buffers live in, or <see langword="null"/> to use the module's only
    /// memory export (whatever its name, as a minified build's <c>f</c>), the one named <c>memory</c> among several, or
    /// the memory the host makes for a module that imports one. A module with several memory exports and none named
    /// <c>memory</c> needs it; a name that is not a memory export of the module fails the load, listing its exports.
    /// </summary>
    public string? MemoryExport { get; set; }

    /// <summary>Gets the host functions the module may import; checked against its imports at load.</summary>
    public WasmImports Imports { get; } = new();

    /// <summary>Gets the host directories a WASI module may read, keyed by the guest path they appear at; none unless added. Grants are read-only.</summary>
    public IDictionary<string, string> PreopenedDirectories { get; } = new Dictionary<string, string>();
}
