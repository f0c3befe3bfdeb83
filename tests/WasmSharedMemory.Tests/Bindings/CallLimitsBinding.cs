using System.Threading;

namespace WasmSharedMemory.Tests.Bindings;

/// <summary>A generated binding of <c>Modules/call_limits.wat</c>, each export with a trailing token (<see cref="CallLimitsModule"/>).</summary>
[WasmModule]
public sealed partial class CallLimitsBinding
{
    [WasmExport("quick")]
    public partial int Quick(CancellationToken cancellationToken);

    [WasmExport("spin")]
    public partial void Spin(CancellationToken cancellationToken);

    [WasmExport("burn")]
    public partial int Burn(int iterations, CancellationToken cancellationToken);

    [WasmExport("grow")]
    public partial int Grow(int pages, CancellationToken cancellationToken);
}

/// <summary>A generated binding of one of the kernel module's exports, with a trailing token.</summary>
[WasmModule]
public sealed partial class KernelAbiBinding
{
    [WasmExport("wsm_abi_version")]
    public partial int AbiVersion(CancellationToken cancellationToken);
}
