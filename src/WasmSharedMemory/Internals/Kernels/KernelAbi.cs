using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Kernels;

/// <summary>The allocator ABI the kernel module speaks (<c>wsm_abi_version()</c>), in one place for the loader and the tests' modules.</summary>
internal static class KernelAbi
{
    /// <summary>The version <c>wsm_abi_version</c> must return; <c>rust/src/allocator.rs</c> defines the same.</summary>
    public const int Version = 1;

    /// <summary>The export that reports the version.</summary>
    public const string VersionExport = "wsm_abi_version";

    /// <summary>The signature of <see cref="VersionExport"/>.</summary>
    public static readonly WasmSignature VersionSignature = new(System.Array.Empty<ValueKind>(), ValueKind.Int32);
}
