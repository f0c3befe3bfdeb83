using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace WasmSharedMemory.Tests;

/// <summary>
/// <see cref="WasmBuffer{T}.Memory"/> and the buffer as an <see cref="IMemoryOwner{T}"/>: the block in place for
/// every API that takes a <see cref="Memory{T}"/>, with every use of it checked against the buffer's lifetime.
/// </summary>
public sealed class WasmBufferMemoryTests : BufferOwnerTests
{
    [Theory]
    [MemberData(nameof(Owners))]
    public void Memory_SpanAndSlices_AreTheBuffersElementsInPlace(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<int> buffer = source.Allocate<int>(16);
        buffer.Span.Clear();

        Memory<int> memory = buffer.Memory;
        memory.Span[0] = 7;
        memory.Slice(4, 8).Span[1] = 9;

        Assert.Equal(16, memory.Length);
        Assert.Equal(7, buffer.Span[0]);
        Assert.Equal(9, buffer.Span[5]);
        Assert.False(MemoryMarshal.TryGetArray<int>(memory, out _));
        Assert.True(MemoryMarshal.TryGetMemoryManager<int, MemoryManager<int>>(memory, out _));
        Assert.True(buffer.Span == memory.Span);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public unsafe void Memory_Pin_IsTheBuffersOwnAddressInLinearMemory(string owner)
    {
        using WasmHost source = Open(owner);
        using WasmBuffer<double> buffer = source.Allocate<double>(10);

        using MemoryHandle whole = buffer.Memory.Pin();
        using MemoryHandle fromThird = buffer.Memory.Slice(3).Pin();

        fixed (double* first = buffer.Span)
        {
            Assert.True(whole.Pointer == first);
            Assert.True(fromThird.Pointer == first + 3);
        }
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Memory_KeptPastTheBuffersDispose_ThrowsObjectDisposedAndNeverReadsTheFreedBlock(string owner)
    {
        using WasmHost source = Open(owner);
        WasmBuffer<int> buffer = source.Allocate<int>(16);
        Memory<int> stale = buffer.Memory;
        Memory<int> staleSlice = stale.Slice(2, 4);
        buffer.Dispose();

        // The block may be handed out again at once; the stale memory must not see its new contents.
        using WasmBuffer<int> next = source.Allocate<int>(16);
        next.Span.Fill(0x5EC2E7);

        Assert.Throws<ObjectDisposedException>(() => stale.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => staleSlice.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => stale.Pin());
        Assert.Throws<ObjectDisposedException>(() => stale.ToArray());
        Assert.Throws<ObjectDisposedException>(() => stale.CopyTo(new int[16]));
        Assert.Throws<ObjectDisposedException>(() => new int[16].AsMemory().CopyTo(stale));
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Equal(16, stale.Length); // a Memory<T> is a value: only its length survives
        Assert.All(next.ToArray(), value => Assert.Equal(0x5EC2E7, value));
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Memory_KeptPastItsOwnersDispose_ThrowsObjectDisposedNamingTheModule(string owner)
    {
        WasmHost source = Open(owner);
        WasmBuffer<float> buffer = source.Allocate<float>(4);
        Memory<float> memory = buffer.Memory;
        source.Dispose();

        var ex = Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);

        Assert.Contains("module", ex.Message);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
        buffer.Dispose();
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Memory_AsIMemoryOwner_DisposingItFreesTheBlock(string owner)
    {
        using WasmHost source = Open(owner);
        IMemoryOwner<float> memoryOwner = source.Allocate<float>(32);
        memoryOwner.Memory.Span.Fill(1.5f);

        Assert.Equal(32, memoryOwner.Memory.Length);
        Assert.Equal(1, source.LiveBuffers);
        memoryOwner.Dispose();
        memoryOwner.Dispose();

        Assert.Equal(0, source.LiveBuffers);
        Assert.Throws<ObjectDisposedException>(() => memoryOwner.Memory);
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public async Task Memory_ReadExactlyAsyncFromAFile_FillsTheBlockInPlace(string owner)
    {
        using WasmHost source = Open(owner);
        using TempFile file = TempFile.WithPattern((1 << 20) + 13);
        using WasmBuffer<byte> buffer = source.Allocate<byte>((1 << 20) + 13);

        await using (FileStream stream = File.OpenRead(file.Path))
        {
            await stream.ReadExactlyAsync(buffer.Memory);
        }

        Assert.True(buffer.Span.SequenceEqual(file.Contents));
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public async Task Memory_RandomAccessReads_FillTheBlockInPlace(string owner)
    {
        using WasmHost source = Open(owner);
        using TempFile file = TempFile.WithPattern(4096);
        using WasmBuffer<byte> buffer = source.Allocate<byte>(4096);
        using SafeFileHandle handle = File.OpenHandle(file.Path, options: FileOptions.Asynchronous);

        int first = await RandomAccess.ReadAsync(handle, buffer.Memory[..2048], 0); // pins the memory for the I/O
        int second = RandomAccess.Read(handle, buffer.Memory.Span[2048..], 2048);

        Assert.Equal(4096, first + second);
        Assert.True(buffer.Span.SequenceEqual(file.Contents));
    }

    [Theory]
    [MemberData(nameof(Owners))]
    public void Memory_OfAnEmptyBuffer_IsEmptyAndStillChecked(string owner)
    {
        using WasmHost source = Open(owner);
        WasmBuffer<long> empty = source.Allocate<long>(0);
        Memory<long> memory = empty.Memory;

        Assert.True(memory.IsEmpty);
        Assert.Equal(0, memory.Span.Length);
        empty.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
    }

    [Fact]
    public void Memory_ManagerPinnedOutsideTheBuffer_ThrowsArgumentOutOfRange()
    {
        using ISharedMemoryModule module = Load();
        using WasmBuffer<int> buffer = module.Allocate<int>(4);
        Assert.True(MemoryMarshal.TryGetMemoryManager<int, MemoryManager<int>>(buffer.Memory, out MemoryManager<int>? manager));

        Assert.Throws<ArgumentOutOfRangeException>(() => manager!.Pin(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => manager!.Pin(-1));
        using MemoryHandle end = manager!.Pin(4); // one past the end, as for an array
        ((IDisposable)manager).Dispose(); // the buffer owns the block, not its manager
        Assert.Equal(4, buffer.Memory.Span.Length);
    }

    [Fact]
    public void Memory_RepeatedGets_ShareOneManager()
    {
        using ISharedMemoryModule module = Load();
        using WasmBuffer<int> buffer = module.Allocate<int>(4);

        MemoryMarshal.TryGetMemoryManager<int, MemoryManager<int>>(buffer.Memory, out MemoryManager<int>? first);
        MemoryMarshal.TryGetMemoryManager<int, MemoryManager<int>>(buffer.Memory, out MemoryManager<int>? second);

        Assert.Same(first, second);
    }

    /// <summary>A file of a deterministic byte pattern in the temp folder, deleted on dispose.</summary>
    internal sealed class TempFile : IDisposable
    {
        private TempFile(string path, byte[] contents)
        {
            Path = path;
            Contents = contents;
        }

        public string Path { get; }

        public byte[] Contents { get; }

        public static TempFile WithPattern(int length)
        {
            byte[] contents = Enumerable.Range(0, length).Select(i => unchecked((byte)((i * 31) ^ (i >> 8)))).ToArray();
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"wsm-{Guid.NewGuid():N}.bin");
            File.WriteAllBytes(path, contents);
            return new TempFile(path, contents);
        }

        public void Dispose() => File.Delete(Path);
    }
}
