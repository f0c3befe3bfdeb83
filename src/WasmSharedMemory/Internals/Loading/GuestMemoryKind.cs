namespace WasmSharedMemory.Internals.Loading;

/// <summary>Where an instance's linear memory comes from.</summary>
internal enum GuestMemoryKind
{
    /// <summary>The module defines and exports its own 32-bit <c>memory</c>, which lives in the instance's store.</summary>
    Exported,

    /// <summary>The module imports a WebAssembly <c>shared</c> memory as <c>env.memory</c>, which several instances may share.</summary>
    Shared,
}
