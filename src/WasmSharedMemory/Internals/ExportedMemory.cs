using Wasmtime;

namespace WasmSharedMemory.Internals;

/// <summary>A module's own exported <c>memory</c>, which lives and dies with its store.</summary>
internal sealed unsafe class ExportedMemory : LinearMemory
{
    private readonly Memory _memory;
    private readonly byte* _base;

    public ExportedMemory(Memory memory)
    {
        _memory = memory;
        _base = (byte*)memory.GetPointer();
    }

    public override byte* Base => _base;

    public override long Length => _memory.GetLength();

    public override bool HasMoved => (byte*)_memory.GetPointer() != _base;

    /// <summary>Nothing to release: the store owns the memory.</summary>
    public override void Dispose()
    {
    }
}
