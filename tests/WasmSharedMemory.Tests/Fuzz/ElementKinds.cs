using System;
using WasmSharedMemory.Internals;

namespace WasmSharedMemory.Tests.Fuzz;

/// <summary>Something that allocates buffers: a <see cref="WasmHost"/> (the kernel module is one), or a heap adopting what its guest allocated.</summary>
internal interface IBufferSource
{
    WasmBuffer<T> Allocate<T>(int length)
        where T : unmanaged;
}

/// <summary>
/// The one table from an <see cref="ElementKind"/> to its .NET type, size and alignment: the fuzzers, fault
/// injection and the thread stress all allocate by kind through it.
/// </summary>
internal static class ElementKinds
{
    public static int Size(ElementKind kind) => kind switch
    {
        ElementKind.Byte => 1,
        ElementKind.Int32 or ElementKind.Single => 4,
        ElementKind.Double => 8,
        _ => 12,
    };

    /// <summary>The alignment .NET gives the type, which every block for it must have.</summary>
    public static int Alignment(ElementKind kind) => kind == ElementKind.Vector3 ? 4 : Math.Min(Size(kind), 8);

    /// <summary>Allocates <paramref name="length"/> elements of <paramref name="kind"/> from <paramref name="source"/> and tracks the buffer.</summary>
    public static TrackedBuffer Allocate(IBufferSource source, int id, ElementKind kind, int length) => kind switch
    {
        ElementKind.Byte => TrackedBuffer<byte>.Of(id, kind, source.Allocate<byte>(length)),
        ElementKind.Int32 => TrackedBuffer<int>.Of(id, kind, source.Allocate<int>(length)),
        ElementKind.Single => TrackedBuffer<float>.Of(id, kind, source.Allocate<float>(length)),
        ElementKind.Double => TrackedBuffer<double>.Of(id, kind, source.Allocate<double>(length)),
        _ => TrackedBuffer<Vector3>.Of(id, kind, source.Allocate<Vector3>(length)),
    };

    /// <summary>Wraps a host: any module, the kernel module included.</summary>
    public static IBufferSource From(WasmHost host) => new HostSource(host);

    /// <summary>Wraps a heap: what <see cref="TrackedBuffer.Adopt"/> adopts into.</summary>
    public static IBufferSource Adopting(GuestHeap heap, Func<int, int, int> guestAlloc) => new AdoptingSource(heap, guestAlloc);

    private sealed class HostSource : IBufferSource
    {
        private readonly WasmHost _host;

        public HostSource(WasmHost host) => _host = host;

        public WasmBuffer<T> Allocate<T>(int length)
            where T : unmanaged => _host.Allocate<T>(length);
    }

    /// <summary>Has the guest allocate through its own export, then adopts the block; throws <see cref="NoBlock"/> when the guest returned 0.</summary>
    private sealed class AdoptingSource : IBufferSource
    {
        private readonly GuestHeap _heap;
        private readonly Func<int, int, int> _guestAlloc;

        public AdoptingSource(GuestHeap heap, Func<int, int, int> guestAlloc) => (_heap, _guestAlloc) = (heap, guestAlloc);

        public unsafe WasmBuffer<T> Allocate<T>(int length)
            where T : unmanaged
        {
            int address = _guestAlloc(length * sizeof(T), ElementLayout<T>.Alignment);
            return address == 0 ? throw new NoBlock() : _heap.Adopt<T>(unchecked((uint)address), length);
        }
    }

    /// <summary>The guest's own allocator returned 0.</summary>
    internal sealed class NoBlock : Exception
    {
    }
}
