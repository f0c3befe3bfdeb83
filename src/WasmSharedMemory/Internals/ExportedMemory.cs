using System;
using System.Linq;
using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>
/// A module's own 32-bit memory, which lives and dies with its store: the one it exports (under whatever name), or
/// the one the host made for it when it imports a memory that is not shared.
/// </summary>
internal sealed unsafe class ExportedMemory : LinearMemory
{
    /// <summary>The export name toolchains give the memory when nothing renames it.</summary>
    public const string ConventionalName = "memory";

    private readonly Memory _memory;
    private readonly byte* _base;

    /// <summary>Wraps <paramref name="memory"/>, exported by the module or made by the host for the module to import.</summary>
    public ExportedMemory(Memory memory)
    {
        _memory = memory;
        _base = (byte*)memory.GetPointer();
    }

    public override byte* Base => _base;

    public override long Length => _memory.GetLength();

    public override bool HasMoved => (byte*)_memory.GetPointer() != _base;

    public override long? DeclaredMaximumPages => _memory.Maximum;

    public override long Grow(long pages)
    {
        try
        {
            return _memory.Grow(pages);
        }
        catch (WasmtimeException)
        {
            // memory.grow's answer: the store's limit, the declared maximum or 4 GiB stopped it, and nothing changed.
            return -1;
        }
    }

    /// <summary>
    /// Returns the name of the memory export of <paramref name="module"/> the library uses: <paramref name="requested"/> when
    /// given, else the module's only memory export, else the one named <c>memory</c> among several; null when the module
    /// exports no memory (it may import one).
    /// </summary>
    /// <exception cref="WasmContractException">
    /// <paramref name="requested"/> names no export, or one that is not a memory; or the module exports several memories,
    /// none named <c>memory</c>, and none was requested. The message lists what the module exports.
    /// </exception>
    public static string? ExportName(Module module, string? requested)
    {
        string[] memories = module.Exports.OfType<MemoryExport>().Select(e => e.Name).ToArray();
        if (requested is not null)
        {
            if (memories.Contains(requested))
            {
                return requested;
            }

            string what = module.Exports.Any(e => e.Name == requested) ? "an export that is not a memory" : "no export";
            throw new WasmContractException(
                $"WasmHostOptions.MemoryExport names '{requested}', {what} of the module. " +
                $"Its memory exports: {(memories.Length == 0 ? "none" : string.Join(", ", memories))}. It exports: {ExportSignatures.ListExports(module)}.");
        }

        return memories.Length switch
        {
            0 => null,
            1 => memories[0],
            _ when memories.Contains(ConventionalName) => ConventionalName,
            _ => throw new WasmContractException(
                $"The module exports several memories ({string.Join(", ", memories)}) and none is named '{ConventionalName}'; " +
                "set WasmHostOptions.MemoryExport to the one its allocator and exports use."),
        };
    }

    /// <summary>Returns the 32-bit memory <paramref name="name"/> of <paramref name="instance"/>, or <paramref name="imported"/> when the module exports none.</summary>
    /// <exception cref="WasmContractException">It exports and imports no memory, or its memory is 64-bit.</exception>
    public static ExportedMemory Of(Module module, Instance instance, string? name, Memory? imported)
    {
        Memory memory = (name is null ? imported : instance.GetMemory(name))
            ?? throw new WasmContractException(
                $"The module exports no linear memory (as '{ConventionalName}' or under any other name) and imports none, so buffers have nowhere to live. It exports: {ExportSignatures.ListExports(module)}.");
        if (memory.Is64Bit)
        {
            throw new WasmContractException($"The module's memory{(name is null ? string.Empty : $" '{name}'")} is 64-bit; the library supports 32-bit linear memory.");
        }

        return new ExportedMemory(memory);
    }

    /// <summary>Nothing to release: the store owns the memory.</summary>
    public override void Dispose()
    {
    }
}
