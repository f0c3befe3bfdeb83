using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>
/// The allocator ABI the kernel module speaks (<c>wsm_abi_version()</c>), in one place for the loader and the tests'
/// modules. Its <c>Version</c> is generated at build time from <c>rust/src/abi.rs</c> (<c>KernelAbi.targets</c>).
/// </summary>
internal static partial class KernelAbi
{
    /// <summary>The export that reports the version.</summary>
    public const string VersionExport = "wsm_abi_version";

    /// <summary>The signature of <see cref="VersionExport"/>.</summary>
    public static readonly WasmSignature VersionSignature = new(System.Array.Empty<ValueKind>(), ValueKind.Int32);
}
