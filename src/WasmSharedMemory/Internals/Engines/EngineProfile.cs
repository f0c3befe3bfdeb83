using System;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Wasmtime;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Engines;

/// <summary>
/// What an engine compiles into a module's code: epoch checks (call timeouts and cancellation), fuel metering,
/// shared memories. A module compiled on one profile runs only on an engine of the same profile, so the
/// profile is chosen when the module is compiled and every host instantiated from it inherits it.
/// </summary>
/// <remarks>
/// Epoch checks and fuel metering cost a module's loops time (about 20 % on stb's decode and resize), so user
/// modules get them only when asked for (<c>WasmModuleOptions</c>); the kernel module never has epochs.
/// </remarks>
internal readonly struct EngineProfile : IEquatable<EngineProfile>
{
    private const int Profiles = 8;

    private static readonly Lazy<Engine>[] s_engines = CreateEngines();

    public EngineProfile(bool epochs, bool fuel, bool sharedMemory = false) =>
        (Epochs, Fuel, SharedMemory) = (epochs, fuel, sharedMemory);

    /// <summary>Gets a value indicating whether compiled code checks the epoch, so a call can be stopped by a time limit or a token.</summary>
    public bool Epochs { get; }

    /// <summary>Gets a value indicating whether compiled code consumes fuel, so a call can be stopped after a number of instructions.</summary>
    public bool Fuel { get; }

    /// <summary>Gets a value indicating whether the engine may create shared memories (the parallel kernel builds).</summary>
    public bool SharedMemory { get; }

    /// <summary>Gets the version of Wasmtime.Dotnet (and the native library it ships) that compiles modules in this process.</summary>
    public static string WasmtimeVersion { get; } =
        typeof(Engine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Engine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// Gets every setting that shapes compiled code, with the Wasmtime version and the platform: the part of the
    /// compile cache's key that is not the module (the fixed settings of <see cref="ModuleCatalog.CreateConfig"/>
    /// are spelled out). Wasmtime checks the engine's flags again when it deserializes, so a setting missed here
    /// makes an entry incompatible, never wrong.
    /// </summary>
    public string Key => string.Format(
        CultureInfo.InvariantCulture,
        "wasmtime={0};arch={1};os={2};opt=speed;static-max=4GiB;may-move=0;stack={3};epochs={4};fuel={5};shared={6}",
        WasmtimeVersion,
        RuntimeInformation.ProcessArchitecture,
        OperatingSystem(),
        ModuleCatalog.MaxWasmStackBytes,
        Epochs ? 1 : 0,
        Fuel ? 1 : 0,
        SharedMemory ? 1 : 0);

    /// <summary>Gets the process-wide engine of this profile. Engines live for the process, so the epoch ticker never races a dispose.</summary>
    /// <exception cref="WasmSharedMemoryException">The <see cref="ModuleCatalog.MaxWasmStackSetting"/> setting is refused; read first, so the engine's <see cref="Lazy{T}"/> never caches that failure.</exception>
    public Engine Engine
    {
        get
        {
            _ = ModuleCatalog.MaxWasmStackBytes;
            return s_engines[Index].Value;
        }
    }

    private int Index => (Epochs ? 1 : 0) | (Fuel ? 2 : 0) | (SharedMemory ? 4 : 0);

    /// <summary>The engine settings of this profile, on top of the library's own (<see cref="ModuleCatalog.CreateConfig"/>).</summary>
    public Config CreateConfig()
    {
        Config config = ModuleCatalog.CreateConfig().WithEpochInterruption(Epochs).WithFuelConsumption(Fuel);
        if (SharedMemory)
        {
            NativeBoundary.EnableSharedMemory(config);
        }

        return config;
    }

    public bool Equals(EngineProfile other) => Index == other.Index;

    public override bool Equals(object? obj) => obj is EngineProfile other && Equals(other);

    public override int GetHashCode() => Index;

    public override string ToString() => $"epochs={Epochs}, fuel={Fuel}, shared={SharedMemory}";

    private static string OperatingSystem() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "windows"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macos"
        : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
        : RuntimeInformation.OSDescription;

    private static Lazy<Engine>[] CreateEngines()
    {
        var engines = new Lazy<Engine>[Profiles];
        for (int i = 0; i < Profiles; i++)
        {
            var profile = new EngineProfile((i & 1) != 0, (i & 2) != 0, (i & 4) != 0);
            engines[i] = new Lazy<Engine>(() => new Engine(profile.CreateConfig()), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        return engines;
    }
}
