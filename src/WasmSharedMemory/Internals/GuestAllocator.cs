using System;
using System.Collections.Generic;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>An <see cref="AllocatorContract"/> bound to one instance's exports, with their signatures checked.</summary>
internal sealed class GuestAllocator
{
    private readonly Func<int, int>? _allocSize;
    private readonly Func<int, int, int>? _allocSizeAlign;
    private readonly Action<int>? _freePointer;
    private readonly Action<int, int>? _freePointerSize;
    private readonly Action<int, int, int>? _freePointerSizeAlign;

    private GuestAllocator(AllocatorContract contract, Instance instance, Module module)
    {
        Contract = contract;
        if (contract.AllocParameters == AllocatorParameters.Size)
        {
            _allocSize = Require(instance.GetFunction<int, int>(contract.AllocExport), module, contract.AllocExport, contract.AllocSignature);
        }
        else
        {
            _allocSizeAlign = Require(instance.GetFunction<int, int, int>(contract.AllocExport), module, contract.AllocExport, contract.AllocSignature);
        }

        switch (contract.FreeParameters)
        {
            case FreeParameters.Pointer:
                _freePointer = Require(instance.GetAction<int>(contract.FreeExport), module, contract.FreeExport, contract.FreeSignature);
                break;
            case FreeParameters.PointerSize:
                _freePointerSize = Require(instance.GetAction<int, int>(contract.FreeExport), module, contract.FreeExport, contract.FreeSignature);
                break;
            default:
                _freePointerSizeAlign = Require(instance.GetAction<int, int, int>(contract.FreeExport), module, contract.FreeExport, contract.FreeSignature);
                break;
        }
    }

    public AllocatorContract Contract { get; }

    /// <summary>Binds <paramref name="contract"/> to <paramref name="instance"/>, throwing a <see cref="WasmContractException"/> that names any export that is missing or mistyped.</summary>
    public static GuestAllocator Bind(AllocatorContract contract, Instance instance, Module module) => new(contract, instance, module);

    /// <summary>Picks the one known contract whose exports the module has.</summary>
    public static AllocatorContract Detect(Module module)
    {
        var functions = new HashSet<string>(module.Exports.OfType<FunctionExport>().Select(e => e.Name));
        AllocatorContract[] matches = new[] { AllocatorContract.WasmSharedMemory, AllocatorContract.WasmBindgen, AllocatorContract.CMalloc }
            .Where(c => functions.Contains(c.AllocExport) && functions.Contains(c.FreeExport))
            .ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new WasmContractException(
                "The module exports no allocator WasmHost recognizes (wsm_alloc/wsm_free, __wbindgen_malloc/__wbindgen_free or malloc/free); " +
                $"pass AllocatorContract.Custom(...) naming its exports. The module exports: {ExportSignatures.ListExports(module)}."),
            _ => throw new WasmContractException(
                $"The module exports the allocators of several contracts ({string.Join(", ", matches.Select(c => c.Name))}); " +
                "pass the AllocatorContract to use."),
        };
    }

    public int Allocate(int size, int alignment) =>
        _allocSizeAlign is { } withAlignment ? withAlignment(size, alignment) : _allocSize!(size);

    public void Free(int address, int size, int alignment)
    {
        if (_freePointerSizeAlign is { } full)
        {
            full(address, size, alignment);
        }
        else if (_freePointerSize is { } sized)
        {
            sized(address, size);
        }
        else
        {
            _freePointer!(address);
        }
    }

    private static T Require<T>(T? export, Module module, string name, string signature)
        where T : class =>
        export ?? throw ExportSignatures.Mismatch(module, name, signature);
}
