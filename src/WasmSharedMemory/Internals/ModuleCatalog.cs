using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Caching;
using WasmSharedMemory.Internals.Engines;
using WasmSharedMemory.Internals.Native;
using WasmSharedMemory.Internals.Telemetry;

namespace WasmSharedMemory.Internals;

/// <summary>
/// One Wasmtime engine and the kernel module compiled once per variant on it. Compiling is the expensive
/// part of loading (milliseconds), so the process shares one catalog and <c>Load</c> only creates a store
/// and an instance.
/// </summary>
internal sealed class ModuleCatalog
{
    /// <summary>The <see cref="AppContext"/> setting that raises (or lowers) <see cref="MaxWasmStackBytes"/>.</summary>
    public const string MaxWasmStackSetting = "WasmSharedMemory.MaxWasmStackBytes";

    /// <summary>
    /// The default limit on the native stack wasm code may use per call: 128 KiB. Wasmtime's own default
    /// (512 KiB) is more than a small thread has, and recursion that runs off the thread's stack before it
    /// reaches Wasmtime's limit ends the process with "Stack overflow" instead of trapping. 128 KiB leaves a
    /// 256 KiB thread about 110 KiB for the .NET frames below the call and Wasmtime's host frames.
    /// </summary>
    public const int DefaultMaxWasmStackBytes = 128 * 1024;

    /// <summary>
    /// The most <see cref="MaxWasmStackSetting"/> may say: 2 MiB, Wasmtime's async stack size, which its engine
    /// configuration refuses to be exceeded by <c>max_wasm_stack</c>, and refuses by panicking, which ends the process.
    /// </summary>
    public const int MaxAllowedWasmStackBytes = 2 * 1024 * 1024;

    /// <summary>Each 32-bit linear memory reserves the whole 4 GiB it could ever address.</summary>
    private const ulong FullReservation = 1UL << 32;

    // Retrying, never Lazy<T> with ExecutionAndPublication: a failure of the first load (a listener that threw, a
    // setting refused and fixed since) must not be kept for every later load of the process.
    private static readonly RetryingLazy<int> s_maxWasmStackBytes = new(ReadMaxWasmStack);
    private static readonly RetryingLazy<ModuleCatalog> s_shared = new(() => new ModuleCatalog());

    private readonly RetryingLazy<Compiled> _simd;
    private readonly RetryingLazy<Compiled> _scalar;
    private readonly RetryingLazy<ModuleCatalog>? _parallel;
    private readonly string _resourcePrefix;

    // The compile cache's key for this engine, or null when a test hook changed its settings (then nothing is cached),
    // and the directory the first load that named one asked for.
    private readonly string? _cacheKey;
    private string? _cacheDirectory;

    /// <summary>Creates a catalog whose engine is configured by <paramref name="configure"/> after the library's own settings.</summary>
    /// <param name="configure">Test hook: for example, an engine with SIMD switched off.</param>
    public ModuleCatalog(Action<Config>? configure = null)
        : this(configure, sharedMemory: false)
    {
        _parallel = new(() => new ModuleCatalog(configure, sharedMemory: true));
    }

    private ModuleCatalog(Action<Config>? configure, bool sharedMemory)
    {
        Config config = CreateConfig();
        configure?.Invoke(config);
        if (sharedMemory)
        {
            NativeBoundary.EnableSharedMemory(config);
        }

        Engine = new Engine(config);
        _cacheKey = configure is null ? new EngineProfile(epochs: false, fuel: false, sharedMemory).Key : null;
        _resourcePrefix = sharedMemory ? "WasmSharedMemory.shared." : "WasmSharedMemory.";
        _simd = new(() => Compile(ModuleVariant.Simd), Compiled.Record);
        _scalar = new(() => Compile(ModuleVariant.Scalar), Compiled.Record);
    }

    /// <summary>Gets the catalog every <see cref="SharedMemoryModule.Load"/> call shares.</summary>
    /// <exception cref="WasmSharedMemoryException">The <see cref="MaxWasmStackSetting"/> setting is refused; read first, so the catalog never caches that failure.</exception>
    public static ModuleCatalog Shared
    {
        get
        {
            _ = MaxWasmStackBytes;
            return s_shared.Value;
        }
    }

    /// <summary>Gets the most native stack wasm code may use per call, in bytes: deeper recursion traps.</summary>
    /// <exception cref="WasmSharedMemoryException">The <see cref="MaxWasmStackSetting"/> setting is not a positive number of bytes up to <see cref="MaxAllowedWasmStackBytes"/>.</exception>
    public static int MaxWasmStackBytes => s_maxWasmStackBytes.Value;

    /// <summary>Gets the engine every module of this catalog is compiled for.</summary>
    public Engine Engine { get; }

    /// <summary>
    /// Gets the catalog of the shared-memory builds (<c>Parallelism</c> above 1): the same settings on an engine
    /// that may create shared memories, made on first use. Only while <see cref="NativeBoundary.SharedMemoryBlocker"/> is null.
    /// </summary>
    public ModuleCatalog Parallel => _parallel?.Value ?? this;

    /// <summary>Gets why this catalog cannot load parallel modules, or null when it can: the native boundary's answer unless a test set one.</summary>
    public string? ParallelBlocker => ParallelBlockerForTests ?? NativeBoundary.SharedMemoryBlocker;

    /// <summary>Gets or sets a reason that stands in for the native boundary's, so a test can see what another Wasmtime version would do.</summary>
    internal string? ParallelBlockerForTests { get; set; }

    /// <summary>Returns the compiled module for a validated <paramref name="variant"/>, resolving Auto, compiling on first use.</summary>
    /// <param name="variant">The variant asked for; Auto becomes the one resolved.</param>
    /// <param name="cacheDirectory">Where the first compile looks for (and stores) verified compiled code; null for no cache.</param>
    /// <exception cref="NotSupportedException">SIMD was asked for and the engine cannot run it.</exception>
    public Module Resolve(ref ModuleVariant variant, string? cacheDirectory = null)
    {
        if (cacheDirectory is not null)
        {
            Volatile.Write(ref _cacheDirectory, cacheDirectory);
        }

        if (variant == ModuleVariant.Simd)
        {
            return _simd.Value.GetOrThrow();
        }

        if (variant == ModuleVariant.Auto && _simd.Value.Module is { } simd)
        {
            variant = ModuleVariant.Simd;
            return simd;
        }

        variant = ModuleVariant.Scalar;
        return _scalar.Value.GetOrThrow();
    }

    /// <summary>The engine settings every engine of the library starts from.</summary>
    public static Config CreateConfig() =>
        // Memory that never moves is what lets a buffer cache its base pointer and hand out spans with no
        // native call: with the full reservation up front, growth happens in place up to 4 GiB.
        new Config()
            .WithMemoryMayMove(false)
            .WithStaticMemoryMaximumSize(FullReservation)
            .WithMaximumStackSize(MaxWasmStackBytes)
            .WithOptimizationLevel(OptimizationLevel.Speed);

    private static int ReadMaxWasmStack()
    {
        object? value = AppContext.GetData(MaxWasmStackSetting);
        if (value is null)
        {
            return DefaultMaxWasmStackBytes;
        }

        // From runtimeconfig.json it arrives as a string; from AppContext.SetData it may be a number.
        string? text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bytes) && bytes is > 0 and <= MaxAllowedWasmStackBytes)
        {
            return bytes;
        }

        // Refused here, before an engine is configured with it: Wasmtime ends the process over a stack above its limit.
        throw new WasmSharedMemoryException(
            $"The AppContext setting '{MaxWasmStackSetting}' is '{value}'; it must be a positive number of bytes up to {MaxAllowedWasmStackBytes} " +
            "(2 MiB, the most Wasmtime allows), such as 1048576. No module was loaded.");
    }

    /// <summary>The name a variant's metrics are tagged with: its embedded resource's, without <c>.wasm</c>.</summary>
    public string NameOf(ModuleVariant variant) => _resourcePrefix + (variant == ModuleVariant.Simd ? "simd" : "scalar");

    private Compiled Compile(ModuleVariant variant)
    {
        string resource = NameOf(variant) + ".wasm";
        using Stream stream = typeof(ModuleCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The assembly does not embed '{resource}'; it was built without rust/build.sh's output.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        string? directory = _cacheKey is null ? null : Volatile.Read(ref _cacheDirectory);
        long started = WasmMetrics.Now();
        var result = CacheResult.Off;
        try
        {
            Module module = directory is null
                ? Module.FromBytes(Engine, resource, bytes.ToArray())
                : new CompileCache(directory).GetOrCompile(Engine, _cacheKey!, resource, bytes.ToArray(), out result);

            // Measured only once kept (Compiled.Record): a listener that throws must not lose the compiled build.
            return new Compiled(variant, module, null, (NameOf(variant), result, started));
        }
        catch (WasmtimeException ex)
        {
            // Kept rather than rethrown so Auto can fall back and an explicit request can say why: the engine's
            // answer, which a later call could not change.
            return new Compiled(variant, null, ex);
        }
    }

    private sealed class Compiled
    {
        public Compiled(ModuleVariant variant, Module? module, Exception? error, (string Name, CacheResult Result, long Started)? metric = null)
        {
            Variant = variant;
            Module = module;
            Error = error;
            Metric = metric;
        }

        /// <summary>Gets the compile's measurement, recorded once the build is kept.</summary>
        public (string Name, CacheResult Result, long Started)? Metric { get; }

        public ModuleVariant Variant { get; }

        public Module? Module { get; }

        public Exception? Error { get; }

        /// <summary>Records the compile's measurement; after the build is kept, so what a listener throws cannot undo it.</summary>
        public static void Record(Compiled compiled)
        {
            if (compiled.Metric is { } metric)
            {
                WasmMetrics.Compiled(metric.Name, metric.Result, metric.Started);
            }
        }

        public Module GetOrThrow() => Module ?? throw new NotSupportedException(
            Variant == ModuleVariant.Simd
                ? $"This Wasmtime engine cannot run the SIMD build of the kernel module ({Error?.Message}). Load ModuleVariant.Auto or ModuleVariant.Scalar instead."
                : $"This Wasmtime engine cannot compile the scalar build of the kernel module ({Error?.Message}).",
            Error);
    }
}
