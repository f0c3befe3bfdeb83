using System;

namespace WasmSharedMemory.Tests.Fuzzing;

/// <summary>Thrown by a request whose module returned a result that fails its check: a broken promise the run reports, never an outcome.</summary>
internal sealed class WrongResultException : Exception
{
    public WrongResultException(string message)
        : base(message)
    {
    }
}
