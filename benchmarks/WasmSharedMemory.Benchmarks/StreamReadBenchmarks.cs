using System;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace WasmSharedMemory.Benchmarks;

/// <summary>
/// Reading a file into a <see cref="WasmBuffer{T}"/>: straight into linear memory through
/// <see cref="WasmBuffer{T}.Memory"/> or <see cref="WasmBuffer{T}.AsStream"/>, against what a buffer without them
/// forces, reading into a <c>byte[]</c> (new, or rented once and reused) and copying it in. The file is written to a
/// temporary folder in the setup, so it is in the page cache: the rows time the copies, not the disk.
/// </summary>
[MemoryDiagnoser]
public class StreamReadBenchmarks
{
    private string? _directory;
    private string? _path;
    private ISharedMemoryModule? _module;
    private WasmBuffer<byte>? _buffer;
    private byte[]? _reused;

    /// <summary>Gets or sets the file's size: 1 MiB, and the 256 MiB of issue 12.</summary>
    [Params(1 << 20, 256 << 20)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"wsm-stream-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "input.bin");
        var random = new Random(12);
        var chunk = new byte[1 << 20];
        using (FileStream file = File.Create(_path))
        {
            for (int written = 0; written < Bytes; written += chunk.Length)
            {
                random.NextBytes(chunk);
                file.Write(chunk, 0, Math.Min(chunk.Length, Bytes - written));
            }
        }

        _module = SharedMemoryModule.Load(ModuleVariant.Simd);
        _buffer = _module.Allocate<byte>(Bytes);
        _reused = new byte[Bytes];
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _buffer?.Dispose();
        _module?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark(Baseline = true)]
    public async Task NewArray_ThenCopyIn()
    {
        await using FileStream file = File.OpenRead(_path!);
        byte[] data = new byte[Bytes];
        await file.ReadExactlyAsync(data);
        _buffer!.CopyFrom(data);
    }

    [Benchmark]
    public async Task ReusedArray_ThenCopyIn()
    {
        await using FileStream file = File.OpenRead(_path!);
        await file.ReadExactlyAsync(_reused!);
        _buffer!.CopyFrom(_reused);
    }

    [Benchmark]
    public async Task ReadExactlyAsync_IntoMemory()
    {
        await using FileStream file = File.OpenRead(_path!);
        await file.ReadExactlyAsync(_buffer!.Memory);
    }

    [Benchmark]
    public async Task CopyToAsync_AsStream()
    {
        await using FileStream file = File.OpenRead(_path!);
        await using Stream stream = _buffer!.AsStream();
        await file.CopyToAsync(stream);
    }
}
