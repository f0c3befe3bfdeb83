using System;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Internals.Engines;
using WasmSharedMemory.Internals.Loading;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory;

/// <summary>
/// A compiled WebAssembly module: compile it once (or load its compiled code from a cache), then instantiate it
/// as many <see cref="WasmHost"/>s as needed, each in microseconds, directly or through a <see cref="WasmHostPool"/>.
/// </summary>
/// <remarks>
/// <para>
/// A module is immutable and may be shared between threads: <see cref="Instantiate"/> may be called from any
/// number of threads at once. What can be checked once per module is checked once: its allocator exports are
/// detected the first time a host is instantiated without a contract, and the result (or the error) is kept.
/// </para>
/// <para>
/// Disposing the module refuses further instantiation; the compiled code itself is released when the last host
/// instantiated from it is disposed, so disposing the module never breaks a live host.
/// </para>
/// </remarks>
public sealed partial class WasmModule : IDisposable
{
    private readonly Module _module;
    private readonly EngineProfile _profile;
    private readonly Lazy<AllocatorContract> _detected;
    private readonly object _gate = new();
    private int _hosts;
    private bool _disposed;
    private bool _released;

    private WasmModule(Module module, EngineProfile profile, string name)
    {
        (_module, _profile, Name) = (module, profile, name);
        _detected = new Lazy<AllocatorContract>(() => GuestHeap.Detect(module), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the module's name, which its metrics are tagged with.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the module's code checks for interruption (<see cref="WasmModuleOptions.Interruptible"/>).</summary>
    public bool Interruptible => _profile.Epochs;

    /// <summary>Gets a value indicating whether the module's code meters fuel (<see cref="WasmModuleOptions.FuelMetered"/>).</summary>
    public bool FuelMetered => _profile.Fuel;

    /// <summary>Instantiates the module as a new host.</summary>
    /// <param name="contract">The allocator exports to use, or <see langword="null"/> to use those detected (once per module) from the exports.</param>
    /// <param name="options">Limits, WASI grants and host functions, or <see langword="null"/> for none.</param>
    /// <returns>A host the caller owns and must dispose.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks for what the module was not compiled for: a <see cref="WasmHostOptions.CallTimeout"/> or <see cref="WasmHostOptions.LoadCancellationToken"/> without <see cref="WasmModuleOptions.Interruptible"/>, or a <see cref="WasmHostOptions.FuelPerCall"/> with or without <see cref="WasmModuleOptions.FuelMetered"/> when the other is not.</exception>
    /// <exception cref="ObjectDisposedException">The module has been disposed.</exception>
    /// <exception cref="WasmContractException">No allocator contract was given and the module exports none or several recognizable ones; or an import has no definition with its signature, or an allocator export has the wrong signature.</exception>
    /// <exception cref="WasmTrapException">Guest code run while instantiating (a start function, a reactor's <c>_initialize</c>, the allocator ABI check) trapped or ran out of fuel.</exception>
    /// <exception cref="WasmOutOfMemoryException">The module's memory or tables exceed the limits, or the process has no address space left for another linear memory.</exception>
    /// <exception cref="TimeoutException">Guest code run while instantiating ran past <see cref="WasmHostOptions.CallTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><see cref="WasmHostOptions.LoadCancellationToken"/> was canceled while guest code ran.</exception>
    /// <exception cref="WasmSharedMemoryException">Instantiation failed otherwise, for example a preopened directory does not exist.</exception>
    public WasmHost Instantiate(AllocatorContract? contract = null, WasmHostOptions? options = null)
    {
        CheckAgainstOptions(options);
        Acquire();
        HostReference? reference = null;
        try
        {
            long started = WasmMetrics.Now();
            var spec = GuestSpec.ForHost(_profile.Engine, _module, contract ?? _detected.Value, options, _profile.Epochs);
            GuestInstance guest = Instantiation.Instantiate(spec);
            guest.MetricName = Name;
            reference = new HostReference(this, guest);
            var host = new WasmHost(guest, reference);
            try
            {
                WasmMetrics.Instantiated(Name, started);
            }
            catch
            {
                // A meter listener threw: the caller never gets the host, so it must not live on.
                host.Dispose();
                throw;
            }

            return host;
        }
        catch
        {
            if (reference is null)
            {
                Release();
            }

            throw;
        }
    }

    /// <summary>Refuses further instantiation; the compiled code goes with the last host instantiated from it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        ReleaseIfUnused();
    }

    /// <summary>Instantiates the module for a one-off <c>WasmHost.FromFile</c>-style load: the host owns the module, which goes with it.</summary>
    internal WasmHost InstantiateAndHandOver(AllocatorContract? contract, WasmHostOptions? options)
    {
        try
        {
            return Instantiate(contract, options);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Throws when <paramref name="options"/> asks for interruption or fuel the module's code was compiled without (or lacks fuel it needs).</summary>
    internal void CheckAgainstOptions(WasmHostOptions? options)
    {
        if (!_profile.Epochs && options is not null && options.NeedsInterruption)
        {
            string what = options.CallTimeout is not null ? "CallTimeout" : "LoadCancellationToken";
            throw new ArgumentException(
                $"WasmHostOptions.{what} needs interruption checks that the module '{Name}' was compiled without. " +
                "Compile it with WasmModuleOptions.Interruptible = true.", nameof(options));
        }

        bool fuelPerCall = options?.FuelPerCall is not null;
        if (_profile.Fuel != fuelPerCall)
        {
            throw new ArgumentException(
                _profile.Fuel
                    ? $"The module '{Name}' was compiled with WasmModuleOptions.FuelMetered, so each host needs WasmHostOptions.FuelPerCall: its calls would have no fuel."
                    : $"WasmHostOptions.FuelPerCall needs fuel metering that the module '{Name}' was compiled without. Compile it with WasmModuleOptions.FuelMetered = true.",
                nameof(options));
        }
    }

    private void Acquire()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(WasmModule), $"The module '{Name}' has been disposed; it instantiates no more hosts.");
            }

            _hosts++;
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            _hosts--;
        }

        ReleaseIfUnused();
    }

    private void ReleaseIfUnused()
    {
        lock (_gate)
        {
            if (!_disposed || _hosts != 0 || _released)
            {
                return;
            }

            _released = true;
        }

        _module.Dispose();
    }

    /// <summary>What a host instantiated from the module holds of it: its place in the gauges and its reference to the compiled code.</summary>
    private sealed class HostReference : IMeteredInstance, IDisposable
    {
        private readonly GuestInstance _guest;
        private WasmModule? _module;

        public HostReference(WasmModule module, GuestInstance guest)
        {
            (_module, _guest) = (module, guest);
            guest.RecordMemoryBytes(); // still on the instantiating thread: no call can be in progress
            MeteredInstances.Add(this);
        }

        public string ModuleName => _guest.MetricName;

        public int LiveBuffers => _guest.Heap.LiveBuffers;

        public long LiveBytes => _guest.Heap.LiveBytes;

        public long MemoryBytes => _guest.LastMemoryBytes;

        /// <summary>Runs after the host's instance is disposed.</summary>
        public void Dispose()
        {
            WasmModule? module = Interlocked.Exchange(ref _module, null);
            if (module is not null)
            {
                MeteredInstances.Remove(this);
                module.Release();
            }
        }
    }
}
