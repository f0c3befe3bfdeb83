using System;
using System.Runtime.InteropServices;

namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// rabin-wasm as published on npm (AssemblyScript 0.9): content-defined chunk lengths of a 24 MiB input, which the
/// module's memory must grow to hold, equal to what the package's own JavaScript computes in Node.
/// </summary>
public sealed class RabinWasmTests : LeakCheckedTests
{
    // AssemblyScript 0.9's runtime: class id 0 is ArrayBuffer; an ArrayBufferView is (buffer, dataStart, byteLength).
    private static readonly AllocatorContract s_contract =
        AllocatorContract.Custom("AssemblyScript 0.9", "__alloc", AllocatorParameters.SizeClassId, "__release", FreeParameters.Pointer);

    // The class ids the module exports as the globals Uint8Array_ID and Int32Array_ID.
    private const int Uint8ArrayId = 4, Int32ArrayId = 3;

    private const int Bits = 12, Min = 8 * 1024, Max = 32 * 1024, Window = 64;

    [Fact]
    public void Fingerprint_24MiBText_EqualsNodeAndGrowsMemory()
    {
        byte[] input = CorpusInput.Text(24 << 20, 11);
        byte[] expected = NodeReference.Run("rabin-wasm.mjs", new[] { "--bits", $"{Bits}", "--min", $"{Min}", "--max", $"{Max}", "--window", $"{Window}" }, input);

        using WasmHost host = Track(WasmHost.FromFile(PublishedModules.Path("rabin-wasm"), s_contract));
        long before = host.Memory.Length;
        int[] lengths = Chunk(host, input);

        Assert.True(host.Memory.Length > before + input.Length, $"memory grew from {before} to {host.Memory.Length} bytes");
        Assert.Equal(MemoryMarshal.Cast<byte, int>(expected).ToArray(), lengths);
        Assert.InRange(Sum(lengths), input.Length - Max, input.Length);   // the tail after the last cut is not a chunk
    }

    /// <summary>What the package's <c>Rabin.fingerprint</c> does through the AssemblyScript loader, on one host.</summary>
    internal static int[] Chunk(WasmHost host, ReadOnlySpan<byte> input)
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

    // The loader's __allocArray: an ArrayBuffer from the host's allocator (class id 0), retained by the test and by the view.
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

    private static long Sum(int[] values)
    {
        long sum = 0;
        foreach (int value in values)
        {
            sum += value;
        }

        return sum;
    }
}
