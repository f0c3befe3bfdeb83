using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Wasmtime;

namespace WasmSharedMemory.Internals.Native;

/// <summary>
/// The one place the library reaches below Wasmtime.Dotnet's public API: it decides, once per process, whether
/// the native path is on, and owns every read of Wasmtime.Dotnet's private state.
/// </summary>
/// <remarks>
/// <para>
/// The native path calls exports through <see cref="WasmtimeApi"/> with raw values, which needs two handles
/// that nothing public yields: a store's <c>wasmtime_context_t*</c> and a function's <c>wasmtime_func_t</c>.
/// It also turns a returned error or trap into Wasmtime.Dotnet's own exception through its private factories,
/// because only they recover the .NET exception a callback (the epoch deadline, a host function) threw.
/// </para>
/// <para>
/// Shared memories (<see cref="SharedMemoryOptions.Parallelism"/> above 1) have no API in Wasmtime.Dotnet at all:
/// they need the native handles of a config, an engine, a linker and a store, read here too. They are allowed
/// under the same version rule, and the switch that turns the native call path off does not turn them off.
/// </para>
/// <para>
/// It is on only when the loaded Wasmtime.Dotnet is exactly the version this assembly was built against
/// (<c>WasmtimeVersion</c> in <c>Directory.Packages.props</c>, stamped into the assembly at build time), when
/// every member it reads is where that version has it, and when the switch <see cref="DisableSwitch"/> (or the
/// environment variable <see cref="DisableVariable"/>) does not turn it off. Field names alone are no proof: a
/// native signature can change under the same names, so any other version takes the public path.
/// </para>
/// </remarks>
internal static class NativeBoundary
{
    /// <summary>The <see cref="AppContext"/> switch that forces the public path.</summary>
    public const string DisableSwitch = "WasmSharedMemory.DisableNativeCalls";

    /// <summary>The environment variable that forces the public path when set to <c>1</c> or <c>true</c>.</summary>
    public const string DisableVariable = "WASMSHAREDMEMORY_DISABLE_NATIVE_CALLS";

    private const BindingFlags InstanceMembers = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const BindingFlags StaticMembers = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Lazy<Handles?> s_handles = new(ProbeHandles);
    private static readonly Lazy<CallMembers?> s_state = new(Probe);
    private static string? s_handlesBlocker;

    /// <summary>Gets the Wasmtime.Dotnet version this assembly was built against.</summary>
    public static string PinnedVersion { get; } =
        typeof(NativeBoundary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "WasmtimeVersion")?.Value ?? "unknown";

    /// <summary>Gets the Wasmtime.Dotnet version loaded in this process.</summary>
    public static string LoadedVersion { get; } = VersionOf(typeof(Store).Assembly);

    /// <summary>Gets a value indicating whether calls take the native path.</summary>
    public static bool IsEnabled => s_state.Value is not null;

    /// <summary>Gets why the native path is off, or null when it is on; for diagnostics and tests.</summary>
    public static string? DisabledReason { get; private set; }

    /// <summary>Gets why shared memories cannot be created in this process, or null when they can.</summary>
    public static string? SharedMemoryBlocker => s_handles.Value is null ? s_handlesBlocker : null;

    /// <summary>Returns whether <paramref name="loaded"/> is a version the native path may run against.</summary>
    public static bool IsPinned(string loaded) => string.Equals(loaded, PinnedVersion, StringComparison.Ordinal);

    /// <summary>Reads a store's <c>wasmtime_context_t*</c>; only while <see cref="IsEnabled"/> or <see cref="SharedMemoryBlocker"/> is null.</summary>
    public static nint ContextOf(Store store) => (nint)s_handles.Value!.StoreContext.GetValue(store)!;

    /// <summary>
    /// Lets engines made from <paramref name="config"/> create shared memories (<c>wasmtime_config_shared_memory_set</c>);
    /// before <c>new Engine(config)</c> takes it. Only while <see cref="SharedMemoryBlocker"/> is null.
    /// </summary>
    public static void EnableSharedMemory(Config config)
    {
        var handle = (SafeHandle)s_handles.Value!.ConfigHandle.GetValue(config)!;
        WasmtimeApi.wasmtime_config_shared_memory_set(handle.DangerousGetHandle(), 1);
        GC.KeepAlive(config);
    }

    /// <summary>Reads an engine's <c>wasm_engine_t*</c>; only while <see cref="SharedMemoryBlocker"/> is null, and the engine must outlive its use.</summary>
    public static nint HandleOf(Engine engine) => ((SafeHandle)s_handles.Value!.EngineHandle.GetValue(engine)!).DangerousGetHandle();

    /// <summary>Reads a linker's <c>wasmtime_linker_t*</c>; only while <see cref="SharedMemoryBlocker"/> is null, and the linker must outlive its use.</summary>
    public static nint HandleOf(Linker linker) => ((SafeHandle)s_handles.Value!.LinkerHandle.GetValue(linker)!).DangerousGetHandle();

    /// <summary>Returns why shared memories cannot be had with Wasmtime.Dotnet <paramref name="loaded"/>, or null if that version allows them.</summary>
    internal static string? VersionBlocker(string loaded) => IsPinned(loaded)
        ? null
        : $"Wasmtime.Dotnet {loaded} is loaded, and this build of WasmSharedMemory reaches shared memories (which Wasmtime.Dotnet has no API for) " +
          $"through Wasmtime's C API only on the version it was built and checked against, {PinnedVersion}";

    /// <summary>Reads a function's <c>wasmtime_func_t</c>; only while <see cref="IsEnabled"/>.</summary>
    public static WasmtimeFunc HandleOf(Function function)
    {
        CallMembers state = s_state.Value!;
        object handle = state.FunctionHandle.GetValue(function)!;
        return new WasmtimeFunc { StoreId = (ulong)state.HandleStoreId.GetValue(handle)!, Private = (nint)state.HandlePrivate.GetValue(handle)! };
    }

    /// <summary>Takes ownership of a returned error or trap and returns Wasmtime.Dotnet's exception for it.</summary>
    public static WasmtimeException ToException(nint error, nint trap) =>
        error != 0 ? s_state.Value!.FromOwnedError(error) : s_state.Value!.FromOwnedTrap(trap, true);

    private static CallMembers? Probe()
    {
        if (AppContext.TryGetSwitch(DisableSwitch, out bool disabled) && disabled
            || Environment.GetEnvironmentVariable(DisableVariable) is "1" or "true")
        {
            DisabledReason = $"turned off by {DisableSwitch} or {DisableVariable}";
            return null;
        }

        if (!IsPinned(LoadedVersion))
        {
            DisabledReason = $"Wasmtime.Dotnet {LoadedVersion} is loaded, and the native path is checked only against {PinnedVersion}";
            return null;
        }

        if (s_handles.Value is null)
        {
            DisabledReason = s_handlesBlocker;
            return null;
        }

        CallMembers? state = Read(CallMembers.TryRead, "the members the native path reads", out string? why);
        DisabledReason = why;
        return state;
    }

    /// <summary>Reads the handles on the pinned version, whatever the switch says; null, with the reason in <see cref="s_handlesBlocker"/>, otherwise.</summary>
    private static Handles? ProbeHandles()
    {
        s_handlesBlocker = VersionBlocker(LoadedVersion);
        if (s_handlesBlocker is not null)
        {
            return null;
        }

        return Read(Handles.TryRead, "the store, config, engine and linker handles the library reads", out s_handlesBlocker);
    }

    /// <summary>Reads private members with <paramref name="read"/>; null, saying <paramref name="why"/>, when they are missing or reflection fails.</summary>
    private static T? Read<T>(Func<T?> read, string what, out string? why)
        where T : class
    {
        try
        {
            T? members = read();
            why = members is null ? $"Wasmtime.Dotnet {LoadedVersion} does not have {what}" : null;
            return members;
        }
        catch (Exception ex)
        {
            // Trimmed or AOT-compiled apps may lack the metadata; the public path always works.
            why = $"reading {what} from Wasmtime.Dotnet failed: {ex.Message.TrimEnd('.')}";
            return null;
        }
    }

    private static string VersionOf(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            int plus = informational.IndexOf('+');
            return plus < 0 ? informational : informational.Substring(0, plus);
        }

        Version? version = assembly.GetName().Version;
        return version is null ? "unknown" : $"{version.Major}.{version.Minor}.{version.Build}";
    }

    /// <summary>The native handles behind Wasmtime.Dotnet's objects: a store's context, and a config's, an engine's and a linker's pointer.</summary>
    private sealed class Handles
    {
        private Handles(FieldInfo storeContext, FieldInfo configHandle, FieldInfo engineHandle, FieldInfo linkerHandle) =>
            (StoreContext, ConfigHandle, EngineHandle, LinkerHandle) = (storeContext, configHandle, engineHandle, linkerHandle);

        /// <summary>Gets <c>Store.contextHandle</c>, the <c>wasmtime_context_t*</c>.</summary>
        public FieldInfo StoreContext { get; }

        /// <summary>Gets <c>Config.handle</c>, a <see cref="SafeHandle"/> over the <c>wasm_config_t*</c>.</summary>
        public FieldInfo ConfigHandle { get; }

        /// <summary>Gets <c>Engine.handle</c>, a <see cref="SafeHandle"/> over the <c>wasm_engine_t*</c>.</summary>
        public FieldInfo EngineHandle { get; }

        /// <summary>Gets <c>Linker.handle</c>, a <see cref="SafeHandle"/> over the <c>wasmtime_linker_t*</c>.</summary>
        public FieldInfo LinkerHandle { get; }

        public static Handles? TryRead()
        {
            FieldInfo? storeContext = typeof(Store).GetField("contextHandle", InstanceMembers);
            FieldInfo? configHandle = IfSafeHandle(typeof(Config).GetField("handle", InstanceMembers));
            FieldInfo? engineHandle = IfSafeHandle(typeof(Engine).GetField("handle", InstanceMembers));
            FieldInfo? linkerHandle = IfSafeHandle(typeof(Linker).GetField("handle", InstanceMembers));
            return storeContext?.FieldType == typeof(nint) && configHandle is not null && engineHandle is not null && linkerHandle is not null
                ? new Handles(storeContext, configHandle, engineHandle, linkerHandle)
                : null;
        }

        /// <summary><paramref name="field"/> if it holds a <see cref="SafeHandle"/>, else null.</summary>
        private static FieldInfo? IfSafeHandle(FieldInfo? field) =>
            field is not null && typeof(SafeHandle).IsAssignableFrom(field.FieldType) ? field : null;
    }

    /// <summary>Wasmtime.Dotnet's private members the native call path reads besides the store context, checked by name, type and layout.</summary>
    private sealed class CallMembers
    {
        private CallMembers(FieldInfo functionHandle, FieldInfo handleStoreId, FieldInfo handlePrivate, Func<nint, WasmtimeException> fromOwnedError, Func<nint, bool, TrapException> fromOwnedTrap) =>
            (FunctionHandle, HandleStoreId, HandlePrivate, FromOwnedError, FromOwnedTrap) = (functionHandle, handleStoreId, handlePrivate, fromOwnedError, fromOwnedTrap);

        public FieldInfo FunctionHandle { get; }

        public FieldInfo HandleStoreId { get; }

        public FieldInfo HandlePrivate { get; }

        public Func<nint, WasmtimeException> FromOwnedError { get; }

        public Func<nint, bool, TrapException> FromOwnedTrap { get; }

        public static CallMembers? TryRead()
        {
            FieldInfo? functionHandle = typeof(Function).GetField("func", InstanceMembers);
            // Named, not taken from the field's type, so trimming and native AOT keep its fields.
            Type? handleType = Type.GetType("Wasmtime.ExternFunc, Wasmtime.Dotnet", throwOnError: false);
            FieldInfo? storeId = handleType?.GetField("store", InstanceMembers);
            FieldInfo? priv = handleType?.GetField("__private", InstanceMembers);
            FieldInfo[] handleFields = handleType?.GetFields(InstanceMembers).OrderBy(f => f.MetadataToken).ToArray() ?? Array.Empty<FieldInfo>();
            MethodInfo? fromOwnedError = typeof(WasmtimeException).GetMethod("FromOwnedError", StaticMembers, null, new[] { typeof(nint) }, null);
            MethodInfo? fromOwnedTrap = typeof(TrapException).GetMethod("FromOwnedTrap", StaticMembers, null, new[] { typeof(nint), typeof(bool) }, null);
            if (handleType is null
                || functionHandle?.FieldType != handleType
                || !handleType.IsValueType
                || !handleType.IsLayoutSequential
                || handleFields.Length != 2
                || handleFields[0] != storeId
                || handleFields[1] != priv
                || storeId?.FieldType != typeof(ulong)
                || priv?.FieldType != typeof(nint)
                || fromOwnedError?.ReturnType != typeof(WasmtimeException)
                || fromOwnedTrap?.ReturnType != typeof(TrapException))
            {
                return null;
            }

            return new CallMembers(
                functionHandle,
                storeId,
                priv,
                (Func<nint, WasmtimeException>)fromOwnedError.CreateDelegate(typeof(Func<nint, WasmtimeException>)),
                (Func<nint, bool, TrapException>)fromOwnedTrap.CreateDelegate(typeof(Func<nint, bool, TrapException>)));
        }
    }
}
