namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// rabin-wasm 0.1.5's rabin.wasm (AssemblyScript 0.9, its old reference-counting runtime), as published: the
/// class <c>Rabin</c>'s exports take the instance's address first, as the AssemblyScript loader passes it.
/// </summary>
[WasmModule("rabin.wasm")]
public sealed partial class RabinWasm
{
    /// <summary>The runtime's allocator: a block of <paramref name="size"/> bytes with class id <paramref name="id"/>, reference count 0.</summary>
    [WasmExport("__alloc")]
    public partial int Alloc(int size, int id);

    [WasmExport("__retain")]
    public partial int Retain(int address);

    [WasmExport("__release")]
    public partial void Release(int address);

    /// <summary><c>new Rabin(bits, min, max, windowSize)</c>: 0 as <c>this</c> makes the constructor allocate the object.</summary>
    [WasmExport("Rabin#constructor")]
    public partial int Construct(int self, int bits, int min, int max, int windowSize);

    /// <summary>Writes the chunk lengths of the <c>Uint8Array</c> <paramref name="bytes"/> into the <c>Int32Array</c> <paramref name="lengths"/> and returns it.</summary>
    [WasmExport("Rabin#fingerprint")]
    public partial int Fingerprint(int self, int bytes, int lengths);
}
