using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace WasmSharedMemory.Tests.ChildProcesses;

/// <summary>
/// Disposes a module or host at a random moment while every other core runs the library's own members on it:
/// the copy helpers (<c>ToArray</c>, <c>CopyTo</c>, <c>CopyFrom</c>) over large buffers, a buffer's stream,
/// kernels or guarded delegates, <c>GetFunction</c>, allocation, <c>AllocateUtf8</c>, <c>Memory.ReadUtf8</c>. Over and over for a fixed time. The only
/// exception allowed is <see cref="ObjectDisposedException"/>; touching unmapped memory ends the process.
/// </summary>
internal static class DisposeRaceProbe
{
    private const int Large = 1 << 18; // 1 MiB of floats: a copy long enough for a dispose to land inside it

    /// <summary>Arguments: <c>simd</c>, <c>scalar</c> or <c>host</c>, then the seconds to run.</summary>
    public static int Run(string[] args)
    {
        string target = args[0];
        var duration = TimeSpan.FromSeconds(double.Parse(args[1], CultureInfo.InvariantCulture));
        int threads = Math.Max(2, Environment.ProcessorCount);
        long rounds = 0, operations = 0, refused = 0, unexpected = 0, midCopy = 0;
        string? firstUnexpected = null;
        var random = new Random(12345);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            Subject subject = target == "host" ? Subject.Host(WasmHost.FromText(TestModules.FaultInjection, options: new WasmHostOptions { CallTimeout = TimeSpan.FromSeconds(30) })) : Subject.Module(LoadModule(target));
            using var started = new CountdownEvent(threads);
            var workers = new Thread[threads];
            var counts = new (long Operations, long Refused, long MidCopy)[threads];
            for (int t = 0; t < threads; t++)
            {
                int thread = t;
                int seed = random.Next();
                workers[t] = new Thread(() =>
                {
                    var rng = new Random(seed);
                    var scratch = new float[Large];
                    started.Signal();
                    while (true)
                    {
                        try
                        {
                            subject.Step(rng, scratch, ref counts[thread].MidCopy);
                            counts[thread].Operations++;
                        }
                        catch (ObjectDisposedException)
                        {
                            counts[thread].Refused++;
                            return;
                        }
                        catch (Exception ex)
                        {
                            if (Interlocked.Increment(ref unexpected) == 1)
                            {
                                firstUnexpected = ex.ToString();
                            }

                            return;
                        }
                    }
                }) { IsBackground = true };
                workers[t].Start();
            }

            started.Wait();
            // Let the workers get going, then dispose in the middle of whatever they are doing.
            Thread.SpinWait(random.Next(1, 200_000));
            subject.Dispose();
            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            rounds++;
            foreach (var count in counts)
            {
                operations += count.Operations;
                refused += count.Refused;
                midCopy += count.MidCopy;
            }
        }

        Console.WriteLine($"target: {target}");
        Console.WriteLine($"threads: {threads}");
        Console.WriteLine($"seconds: {stopwatch.Elapsed.TotalSeconds:0.0}");
        Console.WriteLine($"rounds: {rounds}");
        Console.WriteLine($"operations: {operations}");
        Console.WriteLine($"copies that saw the dispose: {midCopy}");
        Console.WriteLine($"refused with ObjectDisposedException: {refused}");
        Console.WriteLine($"unexpected exceptions: {unexpected}");
        if (firstUnexpected is not null)
        {
            Console.WriteLine($"first unexpected: {firstUnexpected.Replace(Environment.NewLine, " | ", StringComparison.Ordinal)}");
        }

        return 0;
    }

    /// <summary>The kernel module <paramref name="target"/> names: <c>simd</c>, <c>scalar</c>, or <c>parallel</c> (SIMD on two instances, splitting every call it can).</summary>
    private static ISharedMemoryModule LoadModule(string target) => target switch
    {
        "simd" => SharedMemoryModule.Load(ModuleVariant.Simd),
        "scalar" => SharedMemoryModule.Load(ModuleVariant.Scalar),
        _ => ParallelTuning.SplitEverything(SharedMemoryModule.Load(ModuleVariant.Simd, new SharedMemoryOptions { Parallelism = 2 })),
    };

    /// <summary>A host (the kernel module is one) and the buffers the workers share; kernels run through the module's methods or the host's exports.</summary>
    private sealed class Subject
    {
        private readonly ISharedMemoryModule? _module;
        private readonly WasmHost _host;
        private readonly WasmBuffer<float>[] _buffers;
        private readonly Action<int, WasmBuffer<float>, WasmBuffer<float>, WasmBuffer<float>>? _multiply;

        private Subject(ISharedMemoryModule? module, WasmHost host)
        {
            _module = module;
            _host = host;
            _buffers = new WasmBuffer<float>[4];
            for (int i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = host.Allocate<float>(i == 0 ? 1 : Large);
                _buffers[i].Span.Fill(1);
            }

            _multiply = module is null ? host.GetAction<int, WasmBuffer<float>, WasmBuffer<float>, WasmBuffer<float>>("multiply_f32") : null;
        }

        public static Subject Module(ISharedMemoryModule module) => new(module, module.Host);

        public static Subject Host(WasmHost host) => new(null, host);

        public void Step(Random random, float[] scratch, ref long midCopy)
        {
            WasmBuffer<float> buffer = _buffers[random.Next(_buffers.Length)];
            switch (random.Next(9))
            {
                case 0:
                    _ = buffer.ToArray();
                    break;
                case 1:
                    buffer.CopyTo(scratch);
                    break;
                case 2:
                    buffer.CopyFrom(scratch.AsSpan(0, buffer.Length));
                    break;
                case 3:
                    // A copy long enough that the dispose often lands inside it.
                    for (int i = 0; i < 8; i++)
                    {
                        try
                        {
                            _buffers[1].CopyTo(scratch);
                        }
                        catch (ObjectDisposedException) when (i > 0)
                        {
                            midCopy++;
                            throw;
                        }
                    }

                    break;
                case 4:
                    WasmBuffer<float> other = _buffers[1 + random.Next(_buffers.Length - 1)];
                    if (_module is not null)
                    {
                        _module.Multiply(_buffers[2], other, _buffers[3]);
                    }
                    else
                    {
                        _multiply!(Large, _buffers[3], _buffers[2], other);
                    }

                    break;
                case 5:
                    _ = _host.GetAction<int, int, int, int>("multiply_f32");
                    _ = _host.Memory.ReadUtf8(buffer.Address, 4096);
                    _ = _module?.Dot(_buffers[1], _buffers[2]);
                    break;
                case 6:
                    _host.Allocate<float>(random.Next(1, 4096)).Dispose();
                    _host.AllocateUtf8(new string('x', random.Next(1, 4096))).Dispose();
                    break;
                case 7:
                    // The stream's reads and writes are the library's copies too.
                    using (System.IO.Stream stream = _buffers[1].AsStream())
                    {
                        byte[] bytes = new byte[64 * 1024];
                        stream.Write(bytes, 0, bytes.Length);
                        stream.Position = 0;
                        while (stream.Read(bytes, 0, bytes.Length) > 0)
                        {
                        }

                        stream.Position = 0;
                        stream.WriteByte(1);
                        _ = stream.ReadByte();
                    }

                    break;
                default:
                    _ = _host.MemoryBytes;
                    break;
            }
        }

        public void Dispose() => _host.Dispose();
    }
}
