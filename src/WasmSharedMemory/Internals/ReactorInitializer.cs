using System;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals;

/// <summary>
/// Runs a reactor's <c>_initialize</c> export (C constructors, libc and runtime set-up, as wasi-libc and
/// Emscripten emit it) once at load, through the guarded call path, before anything else calls the module; a module
/// with neither <c>_initialize</c> nor <c>_start</c> that exports <c>__wasm_call_ctors</c> (an Emscripten build with
/// JavaScript glue, whose glue calls it) has that run instead.
/// </summary>
internal static class ReactorInitializer
{
    /// <summary>The export a reactor module runs its initialization from, by the WebAssembly tool conventions.</summary>
    public const string Export = "_initialize";

    /// <summary>The constructors export wasm-ld adds, which a JavaScript glue file calls when the module has no <c>_initialize</c>.</summary>
    public const string ConstructorsExport = "__wasm_call_ctors";

    /// <summary>A command's entry point, which runs the constructors itself: a module that has it is left to its caller.</summary>
    public const string CommandExport = "_start";

    private static readonly WasmSignature s_signature = new(Array.Empty<ValueKind>(), null);

    /// <summary>Calls <c>_initialize</c>, or else <c>__wasm_call_ctors</c> when there is no <c>_start</c> either, under the host's limits, if the module exports it.</summary>
    /// <exception cref="WasmContractException">The export is not a function <c>() -> ()</c>.</exception>
    /// <exception cref="WasmSharedMemoryException">It trapped (or a host function it called threw), ran past the time limit or ran out of fuel.</exception>
    public static void RunIfExported(GuestInstance guest)
    {
        string? export = Has(guest, Export) ? Export
            : !Has(guest, CommandExport) && Has(guest, ConstructorsExport) ? ConstructorsExport
            : null;
        if (export is null)
        {
            return;
        }

        var call = new NullaryCall(guest.Bind(export, s_signature));
        try
        {
            guest.Call<NullaryCall, int>(ref call);
        }
        catch (Exception ex) when (ex is WasmTrapException or TimeoutException or OperationCanceledException)
        {
            throw new WasmSharedMemoryException($"The module's {export} export, which the host runs once at load, failed, so the module was not loaded: {ex.Message}", ex);
        }
    }

    private static bool Has(GuestInstance guest, string name) => guest.Module.Exports.Any(e => e.Name == name);
}
