using System;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

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

        try
        {
            if (export == ConstructorsExport)
            {
                SetUpEmscriptenStack(guest);
            }

            var call = new NullaryCall(guest.Bind(export, s_signature));
            guest.Call<NullaryCall, int>(ref call);
        }
        catch (Exception ex) when (ex is WasmTrapException or TimeoutException or OperationCanceledException)
        {
            throw new WasmSharedMemoryException($"The module's {export} export, which the host runs once at load, failed, so the module was not loaded: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// What Emscripten's glue does before the constructors of a build with stack checks: <c>emscripten_stack_init()</c>,
    /// then <c>__set_stack_limits(emscripten_stack_get_base(), emscripten_stack_get_end())</c>, for whichever it exports;
    /// without them such a build reports a stack overflow on its first call.
    /// </summary>
    private static void SetUpEmscriptenStack(GuestInstance guest)
    {
        if (Has(guest, "emscripten_stack_init"))
        {
            var init = new NullaryCall(guest.Bind("emscripten_stack_init", s_signature));
            guest.Call<NullaryCall, int>(ref init);
        }

        if (Has(guest, "__set_stack_limits") && Has(guest, "emscripten_stack_get_base") && Has(guest, "emscripten_stack_get_end"))
        {
            var getter = new WasmSignature(Array.Empty<ValueKind>(), ValueKind.Int32);
            var baseCall = new NullaryCall(guest.Bind("emscripten_stack_get_base", getter));
            var endCall = new NullaryCall(guest.Bind("emscripten_stack_get_end", getter));
            int stackBase = guest.Call<NullaryCall, int>(ref baseCall);
            int stackEnd = guest.Call<NullaryCall, int>(ref endCall);
            var limits = new StackLimitsCall(guest.Bind("__set_stack_limits", new WasmSignature(new[] { ValueKind.Int32, ValueKind.Int32 }, null)), stackBase, stackEnd);
            guest.Call<StackLimitsCall, int>(ref limits);
        }
    }

    private static bool Has(GuestInstance guest, string name) => guest.Module.Exports.Any(e => e.Name == name);

    /// <summary><c>__set_stack_limits(base, end)</c> through the guarded path.</summary>
    private readonly struct StackLimitsCall : IGuestCall<int>
    {
        private readonly GuestFunction _function;
        private readonly int _base;
        private readonly int _end;

        public StackLimitsCall(GuestFunction function, int stackBase, int stackEnd) => (_function, _base, _end) = (function, stackBase, stackEnd);

        public string Export => _function.Name;

        public System.Threading.CancellationToken CancellationToken => System.Threading.CancellationToken.None;

        public bool Prepare(GuestInstance guest, out int result)
        {
            result = 0;
            return true;
        }

        public int Invoke(GuestInstance guest)
        {
            Span<RawValue> slots = stackalloc RawValue[2];
            slots[0].I32 = _base;
            slots[1].I32 = _end;
            _function.Invoke(slots);
            return 0;
        }
    }
}
