using System;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// What rabin-wasm's <c>Rabin.fingerprint</c> does through the AssemblyScript 0.9 loader, on a <see cref="WasmHost"/>:
/// the input in an <c>ArrayBuffer</c> from the host's allocator, wrapped in a <c>Uint8Array</c> object, the chunk
/// lengths read from the <c>Int32Array</c> it returns. Shared by the tests and CorpusBench.
/// </summary>
internal static class RabinChunker
{
    // AssemblyScript 0.9's runtime: class id 0 is ArrayBuffer; an ArrayBufferView is (buffer, dataStart, byteLength).
    public static readonly AllocatorContract Contract =
        AllocatorContract.Custom("AssemblyScript 0.9", "__alloc", AllocatorParameters.SizeClassId, "__release", FreeParameters.Pointer);

    // The class ids the module exports as the globals Uint8Array_ID and Int32Array_ID.
    private const int Uint8ArrayId = 4, Int32ArrayId = 3;

    public const int Bits = 12, Min = 8 * 1024, Max = 32 * 1024, Window = 64;

    /// <summary>Returns the chunk lengths of <paramref name="input"/>, as the package's <c>Rabin.fingerprint</c> does, on one host.</summary>
    public static int[] Chunk(WasmHost host, ReadOnlySpan<byte> input)
    {
        var rabin = new RabinWasm(host);
        int self = rabin.Construct(0, Bits, Min, Max, Window);   // returned retained, as AssemblyScript 0.9 returns references
        int bytes = NewView(host, rabin, input.Length, Uint8ArrayId, out WasmBuffer<byte> data);
        int lengths = NewView(host, rabin, 4 * ((input.Length + Min - 1) / Min), Int32ArrayId, out WasmBuffer<byte> lengthData);
        try
        {
            input.CopyTo(data.Span);
            int result = rabin.Fingerprint(self, bytes, lengths);
            Span<int> view = host.Memory.GetSpan<int>((uint)result, 3);
            ReadOnlySpan<int> all = host.Memory.GetSpan<int>((uint)view[1], view[2] / 4);
            int end = all.IndexOf(0);
            int[] chunks = (end >= 0 ? all.Slice(0, end) : all).ToArray();
            rabin.Release(result);   // the reference the call returned
            return chunks;
        }
        finally
        {
            // Releasing a view drops its reference to its buffer; disposing the buffer then drops the last one.
            rabin.Release(bytes);
            rabin.Release(lengths);
            data.Dispose();
            lengthData.Dispose();
            rabin.Release(self);
        }
    }

    // The loader's __allocArray: an ArrayBuffer from the host's allocator (class id 0), retained by the caller and by the view.
    private static int NewView(WasmHost host, RabinWasm rabin, int byteLength, int id, out WasmBuffer<byte> data)
    {
        data = host.Allocate<byte>(byteLength);
        int buffer = (int)data.Address;
        rabin.Retain(buffer);
        int view = rabin.Retain(rabin.Alloc(12, id));
        Span<int> fields = host.Memory.GetSpan<int>((uint)view, 3);
        fields[0] = rabin.Retain(buffer);
        fields[1] = buffer;
        fields[2] = byteLength;
        return view;
    }
}
