namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// argon2-browser 1.18.0's argon2.wasm, a minified Emscripten build as published; its letters named from the
/// package's dist/argon2.js.
/// </summary>
[WasmModule("argon2.wasm")]
public sealed partial class Argon2Wasm
{
    /// <summary>The build's <c>malloc</c> (<c>f</c>) and <c>free</c> (<c>g</c>).</summary>
    public static readonly AllocatorContract Contract =
        AllocatorContract.Custom("argon2-browser (Emscripten, minified)", "f", AllocatorParameters.Size, "g", FreeParameters.Pointer);

    /// <summary><c>__wasm_call_ctors</c>, run once by the caller: the host cannot know it under its minified name.</summary>
    [WasmExport("d")]
    public partial void CallConstructors();

    /// <summary>
    /// <c>argon2_hash(t_cost, m_cost, parallelism, pwd, pwdlen, salt, saltlen, hash, hashlen, encoded, encodedlen,
    /// type, version)</c>: 0 on success, else an <c>ARGON2_*</c> error code.
    /// </summary>
    [WasmExport("e")]
    public partial int Hash(int time, int memoryKiB, int parallelism, WasmBuffer<byte> password, int passwordLength,
        WasmBuffer<byte> salt, int saltLength, WasmBuffer<byte> hash, int hashLength, int encoded, int encodedLength, int type, int version);

    // argon2.js's asmLibraryArg: a = emscripten_memcpy_big, b = emscripten_resize_heap.
    [WasmImport("a", "a")]
    private static int MemcpyBig(GuestMemory memory, int destination, int source, int count)
    {
        memory.GetSpan<byte>((uint)source, count).CopyTo(memory.GetSpan<byte>((uint)destination, count));
        return destination;
    }

    [WasmImport("a", "b")]
    private static int ResizeHeap(GuestMemory memory, int requestedSize) => Emscripten.ResizeHeap(memory, requestedSize);
}
