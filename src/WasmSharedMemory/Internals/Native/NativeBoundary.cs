using System;
using System.Linq;
using System.Reflection;
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

    private static readonly Lazy<PrivateState?> s_state = new(Probe);

    /// <summary>Gets the Wasmtime.Dotnet version this assembly was built against.</summary>
    public static string PinnedVersion { get; } =
        typeof(NativeBoundary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "WasmtimeVersion")?.Value ?? "unknown";

    /// <summary>Gets the Wasmtime.Dotnet version loaded in this process.</summary>
    public static string LoadedVersion { get; } = VersionOf(typeof(Store).Assembly);

    /// <summary>Gets a value indicating whether calls take the native path.</summary>
    public static bool IsEnabled => s_state.Value is not null;

    /// <summary>Gets why the native path is off, or null when it is on; for diagnostics and tests.</summary>
    public static string? DisabledReason { get; private set; }

    /// <summary>Returns whether <paramref name="loaded"/> is a version the native path may run against.</summary>
    public static bool IsPinned(string loaded) => string.Equals(loaded, PinnedVersion, StringComparison.Ordinal);

    /// <summary>Reads a store's <c>wasmtime_context_t*</c>; only while <see cref="IsEnabled"/>.</summary>
    public static nint ContextOf(Store store) => (nint)s_state.Value!.StoreContext.GetValue(store)!;

    /// <summary>Reads a function's <c>wasmtime_func_t</c>; only while <see cref="IsEnabled"/>.</summary>
    public static WasmtimeFunc HandleOf(Function function)
    {
        PrivateState state = s_state.Value!;
        object handle = state.FunctionHandle.GetValue(function)!;
        return new WasmtimeFunc { StoreId = (ulong)state.HandleStoreId.GetValue(handle)!, Private = (nint)state.HandlePrivate.GetValue(handle)! };
    }

    /// <summary>Takes ownership of a returned error or trap and returns Wasmtime.Dotnet's exception for it.</summary>
    public static WasmtimeException ToException(nint error, nint trap) =>
        error != 0 ? s_state.Value!.FromOwnedError(error) : s_state.Value!.FromOwnedTrap(trap, true);

    private static PrivateState? Probe()
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

        try
        {
            PrivateState? state = PrivateState.TryRead();
            DisabledReason = state is null ? $"Wasmtime.Dotnet {LoadedVersion} does not have the members the native path reads" : null;
            return state;
        }
        catch (Exception ex)
        {
            // Trimmed or AOT-compiled apps may lack the metadata; the public path always works.
            DisabledReason = $"reading Wasmtime.Dotnet's members failed: {ex.Message}";
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

    /// <summary>Wasmtime.Dotnet's private members the native path reads, checked by name, type and layout.</summary>
    private sealed class PrivateState
    {
        private PrivateState(FieldInfo storeContext, FieldInfo functionHandle, FieldInfo handleStoreId, FieldInfo handlePrivate, Func<nint, WasmtimeException> fromOwnedError, Func<nint, bool, TrapException> fromOwnedTrap) =>
            (StoreContext, FunctionHandle, HandleStoreId, HandlePrivate, FromOwnedError, FromOwnedTrap) = (storeContext, functionHandle, handleStoreId, handlePrivate, fromOwnedError, fromOwnedTrap);

        public FieldInfo StoreContext { get; }

        public FieldInfo FunctionHandle { get; }

        public FieldInfo HandleStoreId { get; }

        public FieldInfo HandlePrivate { get; }

        public Func<nint, WasmtimeException> FromOwnedError { get; }

        public Func<nint, bool, TrapException> FromOwnedTrap { get; }

        public static PrivateState? TryRead()
        {
            FieldInfo? storeContext = typeof(Store).GetField("contextHandle", InstanceMembers);
            FieldInfo? functionHandle = typeof(Function).GetField("func", InstanceMembers);
            // Named, not taken from the field's type, so trimming and native AOT keep its fields.
            Type? handleType = Type.GetType("Wasmtime.ExternFunc, Wasmtime.Dotnet", throwOnError: false);
            FieldInfo? storeId = handleType?.GetField("store", InstanceMembers);
            FieldInfo? priv = handleType?.GetField("__private", InstanceMembers);
            FieldInfo[] handleFields = handleType?.GetFields(InstanceMembers).OrderBy(f => f.MetadataToken).ToArray() ?? Array.Empty<FieldInfo>();
            MethodInfo? fromOwnedError = typeof(WasmtimeException).GetMethod("FromOwnedError", StaticMembers, null, new[] { typeof(nint) }, null);
            MethodInfo? fromOwnedTrap = typeof(TrapException).GetMethod("FromOwnedTrap", StaticMembers, null, new[] { typeof(nint), typeof(bool) }, null);
            if (storeContext?.FieldType != typeof(nint)
                || handleType is null
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

            return new PrivateState(
                storeContext,
                functionHandle,
                storeId,
                priv,
                (Func<nint, WasmtimeException>)fromOwnedError.CreateDelegate(typeof(Func<nint, WasmtimeException>)),
                (Func<nint, bool, TrapException>)fromOwnedTrap.CreateDelegate(typeof(Func<nint, bool, TrapException>)));
        }
    }
}
