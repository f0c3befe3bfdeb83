using System;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Runs a reactor's <c>_initialize</c> export (C constructors, libc and runtime set-up, as wasi-libc and
/// Emscripten emit it) once at load, through the guarded call path, before anything else calls the module.
/// </summary>
internal static class ReactorInitializer
{
    /// <summary>The export a reactor module runs its initialization from, by the WebAssembly tool conventions.</summary>
    public const string Export = "_initialize";

    private static readonly WasmSignature s_signature = new(Array.Empty<ValueKind>(), null);

    /// <summary>Calls <c>_initialize</c> under the host's limits if the module exports it.</summary>
    /// <exception cref="WasmContractException">The export is not a function <c>() -> ()</c>.</exception>
    /// <exception cref="WasmSharedMemoryException">It trapped (or a host function it called threw), ran past the time limit or ran out of fuel.</exception>
    public static void RunIfExported(GuestInstance guest)
    {
        if (!guest.Module.Exports.Any(e => e.Name == Export))
        {
            return;
        }

        var call = new NullaryCall(guest.Bind(Export, s_signature));
        try
        {
            guest.Call<NullaryCall, int>(ref call);
        }
        catch (Exception ex) when (ex is WasmTrapException or TimeoutException or OperationCanceledException)
        {
            throw new WasmSharedMemoryException($"The module's {Export} export, which a reactor runs once at load, failed, so the module was not loaded: {ex.Message}", ex);
        }
    }
}
