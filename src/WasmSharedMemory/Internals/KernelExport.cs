using System;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>One <c>(i32 n, i32 dst, i32 a, i32 b) -> ()</c> kernel export and the fastest way this runtime has to call it.</summary>
internal sealed class KernelExport
{
    public const string Signature = "(i32 n, i32 dst, i32 a, i32 b) -> ()";

    private readonly Action<int, int, int, int> _typed;
#if NET5_0_OR_GREATER
    private readonly DirectCall? _direct;
#endif

    /// <summary>Looks up <paramref name="name"/> in the guest's instance and checks its signature.</summary>
    /// <exception cref="WasmContractException">The module does not export <paramref name="name"/> with <see cref="Signature"/>.</exception>
    public KernelExport(GuestInstance guest, Module module, string name)
    {
        Name = name;
        _typed = guest.Instance.GetAction<int, int, int, int>(name) ?? throw ExportSignatures.Mismatch(module, name, Signature);
#if NET5_0_OR_GREATER
        // The typed delegate above has checked the signature the direct call relies on.
        _direct = guest.Instance.GetFunction(name) is { } function ? DirectCall.TryCreate(guest.Store, function) : null;
#endif
    }

    /// <summary>Gets the export's name, for error messages.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether calls skip Wasmtime.Dotnet's typed delegate (see <c>DirectCall</c>).</summary>
#if NET5_0_OR_GREATER
    public bool IsDirect => _direct is not null;
#else
    public bool IsDirect => false;
#endif

    /// <summary>Calls the kernel. Call under the guest's gate, with operands checked.</summary>
    /// <exception cref="WasmtimeException">The kernel trapped or the call failed.</exception>
    public void Invoke(int n, int destination, int left, int right)
    {
#if NET5_0_OR_GREATER
        if (_direct is { } direct)
        {
            direct.Invoke(n, destination, left, right);
            return;
        }
#endif
        _typed(n, destination, left, right);
    }
}
