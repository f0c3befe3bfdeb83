using System;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Internals.Loading;

/// <summary>
/// Maps a failed instantiation to the library's exceptions: guest code that trapped, timed out or was canceled, or a
/// host function it called that threw (told by the exception's type, structurally); memory that could not be had,
/// or imports Wasmtime could not satisfy (told by Wasmtime's message, read only inside the version gate, <see cref="WasmtimeErrorText"/>).
/// </summary>
internal static class InstantiationFailure
{
    /// <summary>Returns the exception to throw for <paramref name="exception"/>, thrown by instantiating under <paramref name="limits"/>.</summary>
    public static Exception Map(WasmtimeException exception, CallLimits limits)
    {
        // A trap, a limit's stop (the epoch callback's exception), or a host function the start function called that threw.
        if (exception is TrapException || exception.InnerException is not null)
        {
            return limits.FailedLoading(exception);
        }

        string message = exception.Message;
        string wasmtime = Sentence(message);
        return WasmtimeErrorText.Classify(message) switch
        {
            WasmtimeErrorText.Kind.OverLimits => OutOfMemory(exception, "its memory or a table needs more than the limits allow (MaxMemoryBytes)."),
            WasmtimeErrorText.Kind.OutOfAddressSpace => OutOfMemory(
                exception,
                "the process is out of address space for its linear memory. Each live module reserves 4 GiB, so a 64-bit Linux process " +
                "holds about 32,000 modules at once (fewer where ulimit -v or vm.max_map_count is lower); dispose modules you no longer need."),
            WasmtimeErrorText.Kind.OutOfMemory => OutOfMemory(exception, "the process could not allocate the memory it declares (a table or memory of that size)."),
            WasmtimeErrorText.Kind.Unsatisfiable => new WasmContractException($"The module cannot be instantiated on this host: {wasmtime}{Hint(message)}", exception),
            _ => Unforeseen(exception),
        };
    }

    /// <summary>What nothing mapped: Wasmtime's message in the library's family.</summary>
    public static WasmSharedMemoryException Unforeseen(WasmtimeException exception) =>
        new($"The WebAssembly module could not be loaded: {Sentence(exception.Message)}", exception);

    private static WasmOutOfMemoryException OutOfMemory(WasmtimeException exception, string why) =>
        new(WasmtimeErrorText.RequestedBytes(exception.Message), $"The WebAssembly module could not be instantiated: {why} Wasmtime: {Sentence(exception.Message)}", exception);

    private static string Hint(string message) =>
        message.IndexOf(ImportLinker.WasiModule, StringComparison.Ordinal) >= 0
            ? $" The host defines WASI preview 1 ({ImportLinker.WasiModule}) functions only, each with its standard signature."
            : WasmtimeErrorText.NamesSharedMemory(message)
            ? " A WasmHost gives a module only the memory it defines itself, unshared; the library makes shared memories only for the kernel module's own builds (SharedMemoryOptions.Parallelism)."
            : string.Empty;

    private static string Sentence(string message)
    {
        message = message.TrimEnd();
        return message.EndsWith(".", StringComparison.Ordinal) ? message : message + ".";
    }
}
