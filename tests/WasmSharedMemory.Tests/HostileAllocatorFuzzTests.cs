using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using CsCheck;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Tests.Fuzz;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Fuzzes the checks on every address an allocator returns. <see cref="TestModules.ScriptedAllocator"/>
/// returns whatever address the step picks: 0, anywhere in the 32-bit space, a few bytes either side of a live
/// block's start or end, just inside or past the end of memory, or free space. The model predicts the outcome
/// from the same rules the docs state (0 → out of memory; misaligned, past the end, or overlapping a live
/// block → contract violation and a faulted module; otherwise a buffer at exactly that address), and after
/// every step the counters, the guest's call counts, the fault state and every live buffer's pattern must match.
/// </summary>
public sealed class HostileAllocatorFuzzTests : LeakCheckedTests
{
    private const int MaxSteps = 100;

    private static readonly Lazy<Module> s_module = new(() => Module.FromText(ModuleCatalog.Shared.Engine, "scripted", TestModules.ScriptedAllocator));

    private readonly ITestOutputHelper _output;

    public HostileAllocatorFuzzTests(ITestOutputHelper output) => _output = output;

    internal enum AddressMode
    {
        Zero,
        Anywhere,
        NearLiveBlock,
        NearMemoryEnd,
        FreeSpace,
    }

    internal enum HostileOp
    {
        Allocate,
        Dispose,
        Write,
        Grow,
    }

    private static Gen<HostileStep> Step { get; } = Gen.Select(
        Gen.Frequency((60, HostileOp.Allocate), (25, HostileOp.Dispose), (10, HostileOp.Write), (5, HostileOp.Grow)),
        Gen.Enum<ElementKind>(),
        Gen.Int[0, 300],
        Gen.Frequency((2, AddressMode.Zero), (2, AddressMode.Anywhere), (12, AddressMode.NearLiveBlock), (4, AddressMode.NearMemoryEnd), (80, AddressMode.FreeSpace)),
        Gen.Int[-24, 24],
        Gen.Int[0, 1 << 16],
        (op, kind, length, mode, offset, pick) => new HostileStep(op, kind, length, mode, offset, pick));

    private static Gen<HostileStep[]> Case { get; } = Step.Array[1, MaxSteps];

    [Fact]
    public void ScriptedAddresses_AreAcceptedExactlyWhenNonZeroAlignedInBoundsAndDisjoint()
    {
        long target = FuzzSampling.StepsPerTest;
        var stats = new Stats();
        var watch = Stopwatch.StartNew();

        FuzzSampling.Run(Case, steps => RunCase(steps, stats), () => Interlocked.Read(ref stats.Steps), target, MaxSteps / 2, Print);

        watch.Stop();
        _output.WriteLine(
            $"{stats.Steps:N0} steps in {stats.Sequences:N0} sequences: {stats.Accepted:N0} addresses accepted, {stats.Zero:N0} zero (out of memory), " +
            $"{stats.Misaligned:N0} misaligned, {stats.PastEnd:N0} past the end, {stats.Overlapping:N0} overlapping a live block (each faulting its module), " +
            $"{stats.AfterFault:N0} allocations refused after a fault, {stats.Grows:N0} memory grows; {watch.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(stats.Steps >= target);
        Assert.True(stats.Accepted > 0 && stats.Zero > 0 && stats.Misaligned > 0 && stats.PastEnd > 0 && stats.Overlapping > 0, "a kind of address was never tried");
    }

    private static string Print(HostileStep[] steps) =>
        $"{steps.Length} steps:" + Environment.NewLine + string.Join(Environment.NewLine, steps.Select((s, i) => $"  {i}: {s}"));



    private void RunCase(HostileStep[] steps, Stats stats)
    {
        using KernelModule module = Track(KernelModule.Create(ModuleCatalog.Shared.Engine, s_module.Value, ModuleVariant.Scalar, null));
        var run = new HostileRun(module);
        try
        {
            for (int i = 0; i < steps.Length; i++)
            {
                try
                {
                    run.Apply(steps[i]);
                    run.Check();
                }
                catch (Exception ex)
                {
                    throw new FuzzFailure($"step {i} {steps[i]}: {ex.GetType().Name}: {ex.Message}", ex);
                }
            }
        }
        finally
        {
            run.DisposeAll();
        }

        Assert.Equal(0, module.LiveBuffers);
        stats.Add(run, steps.Length);
    }

    internal readonly record struct HostileStep(HostileOp Op, ElementKind Kind, int Length, AddressMode Mode, int Offset, int Pick)
    {
        public override string ToString() => $"{Op}({Kind}, length {Length}, {Mode} {Offset:+0;-0;0}, pick {Pick})";
    }

    private sealed class Stats
    {
        public long Steps;
        public long Sequences, Accepted, Zero, Misaligned, PastEnd, Overlapping, AfterFault, Grows;

        public void Add(HostileRun run, int steps)
        {
            Interlocked.Add(ref Steps, steps);
            Interlocked.Increment(ref Sequences);
            Interlocked.Add(ref Accepted, run.Accepted);
            Interlocked.Add(ref Zero, run.Zero);
            Interlocked.Add(ref Misaligned, run.Misaligned);
            Interlocked.Add(ref PastEnd, run.PastEnd);
            Interlocked.Add(ref Overlapping, run.Overlapping);
            Interlocked.Add(ref AfterFault, run.AfterFault);
            Interlocked.Add(ref Grows, run.Grows);
        }
    }

    /// <summary>The model of one module with a scripted allocator.</summary>
    private sealed class HostileRun
    {
        private readonly KernelModule _module;
        private readonly Memory _memory;
        private readonly Global _result;
        private readonly List<TrackedBuffer> _live = new();
        private Exception? _fault;
        private int _allocCalls, _freeCalls, _nextId;

        public HostileRun(KernelModule module)
        {
            _module = module;
            _memory = module.Guest.Instance.GetMemory("memory")!;
            _result = module.Guest.Instance.GetGlobal("result")!;
        }

        public int Accepted { get; private set; }

        public int Zero { get; private set; }

        public int Misaligned { get; private set; }

        public int PastEnd { get; private set; }

        public int Overlapping { get; private set; }

        public int AfterFault { get; private set; }

        public int Grows { get; private set; }

        public void Apply(HostileStep step)
        {
            switch (step.Op)
            {
                case HostileOp.Allocate:
                    Allocate(step);
                    break;
                case HostileOp.Dispose when _live.Count > 0:
                    TrackedBuffer disposed = _live[step.Pick % _live.Count];
                    if (_fault is null && disposed.ByteLength > 0)
                    {
                        _freeCalls++; // after a fault the guest is never called again
                    }

                    disposed.Dispose();
                    _live.Remove(disposed);
                    break;
                case HostileOp.Write when _live.Count > 0:
                    _live[step.Pick % _live.Count].Write(step.Pick, step.Offset & 7, step.Length);
                    break;
                case HostileOp.Grow when _memory.GetSize() < 8:
                    _memory.Grow(1 + (step.Pick % 2));
                    Grows++;
                    break;
            }
        }

        public void Check()
        {
            long liveBytes = _live.Sum(b => b.ByteLength);
            long memory = _memory.GetLength();
            Require(_module.LiveBuffers == _live.Count && _module.LiveBytes == liveBytes, $"the module counts {_module.LiveBuffers} live buffers of {_module.LiveBytes} bytes, the model {_live.Count} of {liveBytes}");
            Require(_module.IsFaulted == (_fault is not null), $"IsFaulted is {_module.IsFaulted}, the model says {_fault is not null}");
            Require(Global("alloc_calls") == _allocCalls && Global("free_calls") == _freeCalls, $"the guest saw {Global("alloc_calls")} allocator and {Global("free_calls")} free calls, the model {_allocCalls} and {_freeCalls}");
            foreach (TrackedBuffer buffer in _live)
            {
                Require(buffer.ByteLength == 0 || buffer.Address + buffer.ByteLength <= memory, $"{buffer} reaches past the {memory} bytes of memory");
                buffer.CheckIntact();
            }
        }

        public void DisposeAll()
        {
            foreach (TrackedBuffer buffer in _live)
            {
                buffer.Dispose();
            }

            _live.Clear();
        }

        private void Allocate(HostileStep step)
        {
            string what = $"Allocate<{step.Kind}>({step.Length})";
            if (_fault is not null)
            {
                var refused = FuzzRun.Expect<WasmModuleFaultedException>(() => Create(step.Kind, step.Length), what + " after a fault");
                Require(refused.InnerException == _fault, "the refusal does not carry the fault");
                AfterFault++;
                return;
            }

            long bytes = (long)step.Length * ElementKinds.Size(step.Kind);
            if (bytes == 0)
            {
                _live.Add(Create(step.Kind, step.Length)); // never reaches the guest
                return;
            }

            ulong memory = (ulong)_memory.GetLength();
            uint address = Address(step, (uint)bytes, memory);
            _result.SetValue(unchecked((int)address));
            _allocCalls++;

            // The rules, in the order the docs give them.
            string? violation =
                address % (uint)ElementKinds.Alignment(step.Kind) != 0 ? "is not aligned"
                : address + (ulong)bytes > memory ? "ends past"
                : _live.Any(b => b.ByteLength > 0 && b.Address < address + (ulong)bytes && address < b.Address + (ulong)b.ByteLength) ? "overlaps the live block"
                : null;
            if (address == 0)
            {
                var oom = FuzzRun.Expect<WasmOutOfMemoryException>(() => Create(step.Kind, step.Length), what + " returning 0");
                Require(oom.RequestedBytes == bytes, $"RequestedBytes is {oom.RequestedBytes}, not {bytes}");
                Zero++;
            }
            else if (violation is not null)
            {
                var ex = FuzzRun.Expect<WasmContractException>(() => Create(step.Kind, step.Length), $"{what} returning 0x{address:X8}");
                Require(ex.Message.Contains(violation, StringComparison.Ordinal) && ex.Message.Contains($"0x{address:X8}", StringComparison.Ordinal), $"the contract exception should say the address {violation}: {ex.Message}");
                _fault = ex;
                switch (violation)
                {
                    case "is not aligned":
                        Misaligned++;
                        break;
                    case "ends past":
                        PastEnd++;
                        break;
                    default:
                        Overlapping++;
                        break;
                }
            }
            else
            {
                TrackedBuffer buffer = Create(step.Kind, step.Length);
                Require(buffer.Address == address, $"the buffer is at 0x{buffer.Address:X8}, the allocator returned 0x{address:X8}");
                buffer.Write(step.Pick, 1, 0);
                _live.Add(buffer);
                Accepted++;
            }
        }

        private uint Address(HostileStep step, uint bytes, ulong memory)
        {
            List<TrackedBuffer> blocks = _live.Where(b => b.ByteLength > 0).ToList();
            ulong highest = blocks.Count == 0 ? 1024 : blocks.Max(b => b.Address + (ulong)b.ByteLength);
            return step.Mode switch
            {
                AddressMode.Zero => 0,
                AddressMode.Anywhere => unchecked(((uint)step.Pick << 16) | (ushort)step.Offset),
                AddressMode.NearLiveBlock when blocks.Count > 0 => NearBlock(blocks[step.Pick % blocks.Count], step),
                AddressMode.NearMemoryEnd => unchecked((uint)((long)memory - bytes + Offset(step))),
                _ => unchecked((uint)(((highest + 15) & ~15UL) + (ulong)(16 * (step.Pick % 4)))),
            };

            // Mostly whole elements either side, so the overlap rule is tested at exact adjacency; now and then any byte.
            static long Offset(HostileStep step) => step.Pick % 4 == 0 ? step.Offset : step.Offset * ElementKinds.Alignment(step.Kind);

            static uint NearBlock(TrackedBuffer block, HostileStep step) =>
                unchecked((uint)((step.Pick % 2 == 0 ? block.Address : block.Address + block.ByteLength) + Offset(step)));
        }

        private TrackedBuffer Create(ElementKind kind, int length) => ElementKinds.Allocate(ElementKinds.From(_module), _nextId++, kind, length);

        private int Global(string name) => (int)_module.Guest.Instance.GetGlobal(name)!.GetValue()!;

        private static void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw new FuzzFailure(problem + ".");
            }
        }
    }
}
