using System;

namespace WasmSharedMemory.Internals.Imports;

/// <summary>
/// What a host function's wrapper throws to Wasmtime in place of the exception the function threw, which rides along
/// as <see cref="Exception.InnerException"/>: Wasmtime.Dotnet reads a callback exception's <see cref="Exception.Message"/>
/// to make the trap, and fails fast (ending the process) if that throws or is null. This message is a constant that
/// touches nothing of the original.
/// </summary>
internal sealed class HostFunctionFailure : Exception
{
    public HostFunctionFailure(Exception thrown)
        : base("A host function threw; the call reports its exception.", thrown)
    {
    }

    /// <summary>Returns the exception a host function threw if <paramref name="exception"/> stands in for one, else <paramref name="exception"/>.</summary>
    public static Exception? Unwrap(Exception? exception) => exception is HostFunctionFailure failure ? failure.InnerException : exception;
}
