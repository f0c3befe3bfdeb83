using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>A module's own exported <c>memory</c>, which lives and dies with its store.</summary>
internal sealed unsafe class ExportedMemory : LinearMemory
{
    private readonly Memory _memory;
    private readonly byte* _base;

    private ExportedMemory(Memory memory)
    {
        _memory = memory;
        _base = (byte*)memory.GetPointer();
    }

    public override byte* Base => _base;

    public override long Length => _memory.GetLength();

    public override bool HasMoved => (byte*)_memory.GetPointer() != _base;

    /// <summary>Returns the exported 32-bit memory <c>memory</c> of <paramref name="instance"/>.</summary>
    /// <exception cref="WasmContractException">It exports none, or a 64-bit one.</exception>
    public static ExportedMemory Of(Module module, Instance instance)
    {
        Memory memory = instance.GetMemory("memory")
            ?? throw new WasmContractException($"The module does not export its linear memory as 'memory'. It exports: {ExportSignatures.ListExports(module)}.");
        if (memory.Is64Bit)
        {
            throw new WasmContractException("The module's memory 'memory' is 64-bit; the library supports 32-bit linear memory.");
        }

        return new ExportedMemory(memory);
    }

    /// <summary>Nothing to release: the store owns the memory.</summary>
    public override void Dispose()
    {
    }
}
