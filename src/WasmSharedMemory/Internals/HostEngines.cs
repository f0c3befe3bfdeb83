using System;
using System.Threading;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// The engines user modules run on: epoch interruption on (for call timeouts and cancellation), and a second
/// one with fuel metering for hosts that opt in. Kept apart from the kernel engine because the interruption
/// checks cost the kernels' inner loops time. They live for the process, so the epoch ticker never races a dispose.
/// </summary>
internal static class HostEngines
{
    private static readonly Lazy<Engine> s_interruptible = new(() => Create(fuel: false), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Engine> s_metered = new(() => Create(fuel: true), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Engine Get(bool fuel) => fuel ? s_metered.Value : s_interruptible.Value;

    private static Engine Create(bool fuel) =>
        new(ModuleCatalog.CreateConfig().WithEpochInterruption(true).WithFuelConsumption(fuel));
}
