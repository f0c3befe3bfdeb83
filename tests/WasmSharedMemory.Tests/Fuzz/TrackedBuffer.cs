using System;
using System.Buffers;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests.Fuzz;

/// <summary>
/// A live buffer and the model of it: what it must contain (a managed copy of every byte), where it is, and
/// how long it is. Non-generic so the runner can hold buffers of every element type in one list.
/// </summary>
internal abstract class TrackedBuffer
{
    protected TrackedBuffer(int id, ElementKind kind, int length, uint address, long byteLength)
    {
        Id = id;
        Kind = kind;
        Length = length;
        Address = address;
        ByteLength = byteLength;
    }

    public int Id { get; }

    public ElementKind Kind { get; }

    public int Length { get; }

    public uint Address { get; }

    public long ByteLength { get; }

    public abstract bool IsDisposed { get; }

    public static TrackedBuffer Allocate(WasmHost host, int id, ElementKind kind, int length) =>
        ElementKinds.Allocate(ElementKinds.From(host), id, kind, length);

    /// <summary>
    /// Has the guest allocate a block through its own allocator export (<paramref name="guestAlloc"/>, called with
    /// the size and alignment the heap frees with), then adopts it; null if the guest's allocator returned 0.
    /// </summary>
    public static TrackedBuffer? Adopt(GuestHeap heap, Func<int, int, int> guestAlloc, int id, ElementKind kind, int length)
    {
        try
        {
            return ElementKinds.Allocate(ElementKinds.Adopting(heap, guestAlloc), id, kind, length);
        }
        catch (ElementKinds.NoBlock)
        {
            return null;
        }
    }

    /// <summary>Disposes the buffer and drops the model's copy of its contents.</summary>
    public abstract void Dispose();

    /// <summary>Disposes again; the model expects nothing to change.</summary>
    public abstract void DisposeAgain();

    /// <summary>Throws unless the buffer still reports its place and holds exactly the bytes the model expects.</summary>
    public abstract void CheckIntact();

    /// <summary>Writes a pattern through one of the write paths, and into the model.</summary>
    public abstract void Write(int seed, int mode, int pick);

    /// <summary>Reads back through one of the read paths and compares with the model.</summary>
    public abstract void Read(int mode, int pick);

    /// <summary>Checks that a misuse of the buffer's own members throws the documented exception.</summary>
    public abstract string Misuse(int mode, int pick);

    /// <summary>Checks that every member of a disposed buffer throws <see cref="ObjectDisposedException"/>.</summary>
    public abstract void CheckEveryMemberThrowsDisposed(bool moduleDisposed);

    public override string ToString() => $"#{Id} {Kind}[{Length}] at 0x{Address:X8}";
}

internal sealed class TrackedBuffer<T> : TrackedBuffer
    where T : unmanaged
{
    // Taken while the buffer is live and kept past its Dispose, to check that they then refuse every use.
    private readonly Memory<T> _memory;
    private readonly Stream _stream;
    private T[]? _expected;

    private TrackedBuffer(int id, ElementKind kind, WasmBuffer<T> buffer)
        : base(id, kind, buffer.Length, buffer.Address, buffer.ByteLength)
    {
        Buffer = buffer;
        // New buffers are not zeroed: whatever the allocator left there is what must stay there.
        _expected = buffer.ToArray();
        _memory = buffer.Memory;
        _stream = buffer.AsStream();
    }

    public WasmBuffer<T> Buffer { get; }

    public T[] Expected => _expected ?? throw new InvalidOperationException($"{this} is disposed; the model has no contents for it.");

    public override bool IsDisposed => Buffer.IsDisposed;

    /// <summary>Tracks a buffer allocated elsewhere (a <see cref="WasmHost"/>), taking what it holds now as its contents.</summary>
    public static TrackedBuffer<T> Of(int id, ElementKind kind, WasmBuffer<T> buffer) => new(id, kind, buffer);

    public override void Dispose()
    {
        Buffer.Dispose();
        _expected = null;
    }

    public override void DisposeAgain() => Buffer.Dispose();

    public override void CheckIntact()
    {
        Require(!Buffer.IsDisposed, "reports IsDisposed while live");
        Require(Buffer.Length == Length && Buffer.ByteLength == ByteLength && Buffer.Address == Address, "changed its length or address");
        if (!AsBytes(Buffer.Span).SequenceEqual(AsBytes(Expected)))
        {
            int at = AsBytes(Buffer.Span).CommonPrefixLength(AsBytes(Expected));
            throw new FuzzFailure($"{this} was clobbered: byte {at} (address 0x{Address + at:X8}) differs from the model.");
        }
    }

    /// <summary>Replaces the model's contents with what the buffer holds, after a checked multiply.</summary>
    public void Accept() => Buffer.Span.CopyTo(Expected);

    /// <summary>Checks that the buffer holds <paramref name="expected"/> (any NaN matching any NaN), then takes it as the model's contents.</summary>
    public void AcceptProduct(T[] expected, string what)
    {
        ReadOnlySpan<T> actual = Buffer.Span;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!SameValue(actual[i], expected[i]))
            {
                throw new FuzzFailure($"{what}: element {i} of {this} is {actual[i]}, the plain loop gives {expected[i]}.");
            }
        }

        Accept();
    }

    public override void Write(int seed, int mode, int pick)
    {
        T[] expected = Expected;
        switch (mode % 7)
        {
            case 0: // element by element through the span indexer
                Span<T> span = Buffer.Span;
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = expected[i] = Pattern(seed, i);
                }

                break;
            case 1: // the whole buffer through CopyFrom
                Fill(expected, seed, 0);
                Buffer.CopyFrom(expected);
                break;
            case 2: // a prefix through CopyFrom
                var prefix = new T[pick % (Length + 1)];
                Fill(prefix, seed, 0);
                Buffer.CopyFrom(prefix);
                prefix.CopyTo(expected, 0);
                break;
            case 3: // a slice through AsSpan
                (int start, int length) = Slice(pick);
                Span<T> slice = Buffer.AsSpan(start, length);
                for (int i = 0; i < length; i++)
                {
                    slice[i] = expected[start + i] = Pattern(seed, start + i);
                }

                break;
            case 4: // one value through Span.Fill
                T value = Pattern(seed, pick);
                Buffer.Span.Fill(value);
                expected.AsSpan().Fill(value);
                break;
            case 5: // a slice through Memory, as an API taking Memory<T> writes it
                (start, length) = Slice(pick);
                Memory<T> memory = Buffer.Memory.Slice(start, length);
                for (int i = 0; i < length; i++)
                {
                    memory.Span[i] = expected[start + i] = Pattern(seed, start + i);
                }

                break;
            default: // a slice's bytes through AsStream, after a seek
                (start, length) = Slice(pick);
                var values = new T[length];
                Fill(values, seed, start);
                using (Stream stream = Buffer.AsStream())
                {
                    stream.Seek((long)start * Unsafe.SizeOf<T>(), SeekOrigin.Begin);
                    stream.Write(AsBytes(values));
                    Require(stream.Position == (long)(start + length) * Unsafe.SizeOf<T>(), "AsStream's position after a write is not where the write ended");
                }

                values.CopyTo(expected, start);
                break;
        }
    }

    public override void Read(int mode, int pick)
    {
        T[] expected = Expected;
        switch (mode % 6)
        {
            case 0:
                Require(AsBytes(Buffer.ToArray()).SequenceEqual(AsBytes(expected)), "ToArray differs from the model");
                break;
            case 1:
                T sentinel = Pattern(-1, pick);
                var destination = new T[Length + 1 + (pick % 3)];
                destination.AsSpan().Fill(sentinel);
                Buffer.CopyTo(destination);
                Require(AsBytes(destination.AsSpan(0, Length)).SequenceEqual(AsBytes(expected)), "CopyTo differs from the model");
                Require(AllEqual(destination.AsSpan(Length), sentinel), "CopyTo wrote past the buffer's length");
                break;
            case 2:
                (int start, int length) = Slice(pick);
                Require(AsBytes(Buffer.AsSpan(start, length)).SequenceEqual(AsBytes(expected.AsSpan(start, length))), $"AsSpan({start}, {length}) differs from the model");
                break;
            case 3:
                if (Length > 0)
                {
                    int index = pick % Length;
                    Require(AsBytes(Buffer.Span.Slice(index, 1)).SequenceEqual(AsBytes(expected.AsSpan(index, 1))), $"element {index} differs from the model");
                }

                break;
            case 4:
                (start, length) = Slice(pick);
                Require(AsBytes(Buffer.Memory.Slice(start, length).ToArray()).SequenceEqual(AsBytes(expected.AsSpan(start, length))), $"Memory.Slice({start}, {length}) differs from the model");
                break;
            default:
                (start, length) = Slice(pick);
                var bytes = new byte[(long)length * Unsafe.SizeOf<T>()];
                using (Stream stream = Buffer.AsStream())
                {
                    stream.Position = (long)start * Unsafe.SizeOf<T>();
                    stream.ReadExactly(bytes);
                    Require(stream.Position < stream.Length || stream.ReadByte() == -1, "AsStream read past the buffer's end");
                }

                Require(bytes.AsSpan().SequenceEqual(AsBytes(expected.AsSpan(start, length))), $"AsStream bytes of elements [{start}, {start + length}) differ from the model");
                break;
        }
    }

    public override string Misuse(int mode, int pick)
    {
        switch (mode % 4)
        {
            case 0:
                (int start, int length) = (pick % 4) switch
                {
                    0 => (-1, 0),
                    1 => (0, Length + 1),
                    2 => (Length, 1),
                    _ => (pick % (Length + 1), -1),
                };
                FuzzRun.Expect<ArgumentOutOfRangeException>(() => Buffer.AsSpan(start, length), $"{this}.AsSpan({start}, {length})");
                return "AsSpan out of range";
            case 1:
                var tooLong = new T[Length + 1 + (pick % 5)];
                Fill(tooLong, pick, 0);
                FuzzRun.Expect<ArgumentException>(() => Buffer.CopyFrom(tooLong), $"{this}.CopyFrom({tooLong.Length} elements)");
                return "CopyFrom too long";
            case 3: // a write through AsStream that would pass the end: refused whole (the invariants compare every byte)
                using (Stream stream = Buffer.AsStream())
                {
                    long at = ByteLength - (pick % (ByteLength + 1));
                    stream.Position = at;
                    var tooMany = new byte[(ByteLength - at) + 1 + (pick % 7)];
                    FuzzRun.Expect<NotSupportedException>(() => stream.Write(tooMany, 0, tooMany.Length), $"{this}.AsStream().Write({tooMany.Length} bytes at {at})");
                    FuzzRun.Expect<NotSupportedException>(() => stream.SetLength(ByteLength), $"{this}.AsStream().SetLength");
                    FuzzRun.Expect<ArgumentOutOfRangeException>(() => stream.Position = -1 - pick, $"{this}.AsStream().Position = negative");
                    Require(stream.Position == at, "a refused stream write moved the position");
                }

                return "AsStream write past the end";
            default:
                if (Length == 0)
                {
                    return "CopyTo too short (skipped: empty)";
                }

                T sentinel = Pattern(-2, pick);
                var tooShort = new T[pick % Length];
                tooShort.AsSpan().Fill(sentinel);
                FuzzRun.Expect<ArgumentException>(() => Buffer.CopyTo(tooShort), $"{this}.CopyTo({tooShort.Length} elements)");
                Require(AllEqual(tooShort, sentinel), "CopyTo into a too-short destination wrote to it");
                return "CopyTo too short";
        }
    }

    public override void CheckEveryMemberThrowsDisposed(bool moduleDisposed)
    {
        Require(Buffer.IsDisposed, "does not report IsDisposed");
        string what = $"{this} (disposed)";
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.Length, what + ".Length");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.ByteLength, what + ".ByteLength");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.Address, what + ".Address");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.Span.Length, what + ".Span");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.AsSpan(0, 0).Length, what + ".AsSpan");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.CopyFrom(ReadOnlySpan<T>.Empty), what + ".CopyFrom");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.CopyTo(new T[Length]), what + ".CopyTo");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.Memory, what + ".Memory");
        FuzzRun.Expect<ObjectDisposedException>(() => Buffer.AsStream(), what + ".AsStream()");
        FuzzRun.Expect<ObjectDisposedException>(() => _memory.Span.Length, what + ": a Memory taken while live, .Span");
        FuzzRun.Expect<ObjectDisposedException>(() => _memory.Pin(), what + ": a Memory taken while live, .Pin()");
        FuzzRun.Expect<ObjectDisposedException>(() => _stream.ReadByte(), what + ": a stream taken while live, .ReadByte()");
        FuzzRun.Expect<ObjectDisposedException>(() => _stream.Write(new byte[1], 0, 1), what + ": a stream taken while live, .Write");
        FuzzRun.Expect<ObjectDisposedException>(() => _stream.Seek(0, SeekOrigin.Begin), what + ": a stream taken while live, .Seek");
        Require(!_stream.CanRead && !_stream.CanWrite && !_stream.CanSeek, "a stream taken while live still reports it can read, write or seek");
        var ex = FuzzRun.Expect<ObjectDisposedException>(() => Buffer.ToArray(), what + ".ToArray");
        Require(!moduleDisposed || ex.Message.Contains("module", StringComparison.Ordinal), "after its module was disposed, the exception does not say so");
        Require(Buffer.ToString().Contains("disposed", StringComparison.Ordinal), "ToString does not say it is disposed");
    }

    /// <summary>A deterministic, finite value: never NaN or infinite, so products stay comparable for a while.</summary>
    public static T Pattern(int seed, int index)
    {
        int n = unchecked((seed * 31) + (index * 167));
        if (typeof(T) == typeof(byte))
        {
            byte value = unchecked((byte)n);
            return Unsafe.As<byte, T>(ref value);
        }

        if (typeof(T) == typeof(int))
        {
            int value = unchecked(n * -1640531535);
            return Unsafe.As<int, T>(ref value);
        }

        if (typeof(T) == typeof(float))
        {
            float value = ((n & 255) - 128) * 0.125f;
            return Unsafe.As<float, T>(ref value);
        }

        if (typeof(T) == typeof(double))
        {
            double value = ((n & 1023) - 512) * 0.0625;
            return Unsafe.As<double, T>(ref value);
        }

        var vector = new Vector3(n & 63, -(n & 127), (n & 255) * 0.5f);
        return Unsafe.As<Vector3, T>(ref vector);
    }

    private static bool SameValue(T actual, T expected)
    {
        if (AsBytes(new ReadOnlySpan<T>(in actual)).SequenceEqual(AsBytes(new ReadOnlySpan<T>(in expected))))
        {
            return true;
        }

        // Wasm leaves a NaN's sign and payload unspecified (an in-place product can reach ∞ × 0): any NaN is right.
        return (actual is float a && expected is float e && float.IsNaN(a) && float.IsNaN(e))
            || (actual is double x && expected is double y && double.IsNaN(x) && double.IsNaN(y));
    }

    private static void Fill(Span<T> values, int seed, int offset)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Pattern(seed, offset + i);
        }
    }

    private static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<T> values) => MemoryMarshal.AsBytes(values);

    private static bool AllEqual(ReadOnlySpan<T> values, T value)
    {
        foreach (T item in values)
        {
            if (!AsBytes(new ReadOnlySpan<T>(in item)).SequenceEqual(AsBytes(new ReadOnlySpan<T>(in value))))
            {
                return false;
            }
        }

        return true;
    }

    private (int Start, int Length) Slice(int pick)
    {
        int start = pick % (Length + 1);
        return (start, (pick / 7) % (Length - start + 1));
    }

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FuzzFailure($"{this}: {problem}.");
        }
    }
}
