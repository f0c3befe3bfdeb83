using System;
using System.Collections.Generic;
using System.Linq;
using Wasmtime;
using WasmSharedMemory.Internals;
using WasmSharedMemory.Tests.Fuzz;
using Xunit.Abstractions;

namespace WasmSharedMemory.Tests;

/// <summary>
/// Fault injection: the same workload (allocate five element types, write patterns, dispose, multiply in
/// place, then dispose everything) runs on <see cref="TestModules.FaultInjection"/> with its allocator
/// failing (returning 0) or trapping, or its free trapping, at the k-th call, for every k from 1 to 50, through
/// both front doors. After every operation: the live counters match the model, every live buffer holds exactly
/// its pattern, the guest was called exactly as often as the model says (never after a fault), its own ledger
/// of outstanding blocks agrees until a fault, and the module is faulted exactly when a trap happened.
/// </summary>
public sealed class FaultInjectionTests : LeakCheckedTests
{
    public const int MaxK = 50;

    private const int Iterations = 72;
    private static readonly int[] s_lengths = { 1, 7, 0, 16, 100, 3, 1000, 33 };
    private static readonly Lazy<Module> s_kernelModule = new(() => Module.FromText(ModuleCatalog.Shared.Engine, "faults", TestModules.FaultInjection));

    private readonly ITestOutputHelper _output;

    public FaultInjectionTests(ITestOutputHelper output) => _output = output;

    public enum Fault
    {
        None,
        AllocReturnsZero,
        AllocTraps,
        FreeTraps,
    }

    public enum FrontDoor
    {
        SharedMemoryModule,
        WasmHost,
    }

    public static TheoryData<Fault, FrontDoor> Faults
    {
        get
        {
            var data = new TheoryData<Fault, FrontDoor>();
            foreach (Fault fault in new[] { Fault.AllocReturnsZero, Fault.AllocTraps, Fault.FreeTraps })
            {
                foreach (FrontDoor door in Enum.GetValues<FrontDoor>())
                {
                    data.Add(fault, door);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void FaultAtEveryK_LeaksNothingKeepsEveryBufferIntactAndFaultsExactlyOnATrap(Fault fault, FrontDoor door)
    {
        Outcome baseline = Run(door, Fault.None, 0);
        Assert.True(baseline.AllocCalls > MaxK && baseline.FreeCalls > MaxK, $"the workload makes {baseline.AllocCalls} allocator and {baseline.FreeCalls} free calls; k must reach every one up to {MaxK}");
        Assert.False(baseline.Faulted);

        for (int k = 1; k <= MaxK; k++)
        {
            Outcome outcome = Run(door, fault, k);

            Assert.Equal(fault != Fault.AllocReturnsZero, outcome.Faulted);
            Assert.Equal(fault == Fault.AllocReturnsZero ? 1 : 0, outcome.OutOfMemory);
            switch (fault)
            {
                case Fault.AllocTraps:
                    Assert.Equal(k, outcome.AllocCalls); // never called again after the trap
                    break;
                case Fault.FreeTraps:
                    Assert.Equal(k, outcome.FreeCalls);
                    break;
                default:
                    Assert.Equal(baseline.AllocCalls, outcome.AllocCalls);
                    Assert.Equal(0, outcome.GuestOutstanding); // the failed call left no block on either side
                    break;
            }
        }

        // A k past the last call never fires.
        Outcome unreached = Run(door, fault, fault == Fault.FreeTraps ? baseline.FreeCalls + 1 : baseline.AllocCalls + 1);
        Assert.False(unreached.Faulted);
        Assert.Equal(0, unreached.OutOfMemory);
        _output.WriteLine($"{door}, {fault}: {MaxK} faults injected (k = 1..{MaxK}) into a workload of {baseline.AllocCalls} allocator and {baseline.FreeCalls} free calls, plus k = {MaxK + 1}+ unreached.");
    }

    private Outcome Run(FrontDoor door, Fault fault, int k)
    {
        using var front = door == FrontDoor.SharedMemoryModule
            ? new Front(Track(KernelModule.Create(ModuleCatalog.Shared.Engine, s_kernelModule.Value, ModuleVariant.Scalar, null)))
            : new Front(Track(WasmHost.FromText(TestModules.FaultInjection, AllocatorContract.WasmSharedMemory)));
        string? faultGlobal = fault switch
        {
            Fault.AllocReturnsZero => "fail_alloc_at",
            Fault.AllocTraps => "trap_alloc_at",
            Fault.FreeTraps => "trap_free_at",
            _ => null,
        };
        if (faultGlobal is not null)
        {
            front.Instance.GetGlobal(faultGlobal)!.SetValue(k);
        }

        var run = new FaultRun(front, fault, k);
        try
        {
            for (int i = 0; i < Iterations; i++)
            {
                run.Allocate((ElementKind)(i % 5), s_lengths[i % s_lengths.Length], seed: i);
                if (i % 3 == 2 && run.Live.Count > 0)
                {
                    run.Dispose(run.Live[(i * 7) % run.Live.Count]);
                }

                if (i % 4 == 3)
                {
                    run.SquareInPlace();
                }
            }

            while (run.Live.Count > 0)
            {
                run.Dispose(run.Live[0]);
            }
        }
        catch (Exception ex) when (ex is not FuzzFailure)
        {
            throw new FuzzFailure($"{door}, {fault} at k = {k}, after {run.AllocCalls} allocator and {run.FreeCalls} free calls: {ex.GetType().Name}: {ex.Message}", ex);
        }

        Assert.Equal(0, front.LiveBuffers);
        Assert.Equal(0, front.LiveBytes);
        return new Outcome(run.AllocCalls, run.FreeCalls, run.Trap is not null, run.OutOfMemory, front.Global("outstanding"));
    }

    private readonly record struct Outcome(int AllocCalls, int FreeCalls, bool Faulted, int OutOfMemory, int GuestOutstanding);

    /// <summary>One module behind either front door, with the operations the workload needs.</summary>
    private sealed class Front : IDisposable, IBufferSource
    {
        private readonly KernelModule? _module;
        private readonly WasmHost? _host;
        private readonly Action<int, int, int, int>? _hostMultiply;

        public Front(KernelModule module) => _module = module;

        public Front(WasmHost host)
        {
            _host = host;
            _hostMultiply = host.GetAction<int, int, int, int>("multiply_f32");
        }

        public Instance Instance => _module?.Guest.Instance ?? _host!.Guest.Instance;

        public int LiveBuffers => _module?.LiveBuffers ?? _host!.LiveBuffers;

        public long LiveBytes => _module?.LiveBytes ?? _host!.LiveBytes;

        public bool IsFaulted => _module?.IsFaulted ?? _host!.IsFaulted;

        public int Global(string name) => (int)Instance.GetGlobal(name)!.GetValue()!;

        public WasmBuffer<T> Allocate<T>(int length)
            where T : unmanaged => _module is not null ? _module.Allocate<T>(length) : _host!.Allocate<T>(length);

        public void Square(WasmBuffer<float> buffer)
        {
            if (_module is not null)
            {
                _module.Multiply(buffer, buffer, buffer);
            }
            else
            {
                int address = (int)buffer.Address;
                _hostMultiply!(buffer.Length, address, address, address);
            }
        }

        public void Dispose()
        {
            _module?.Dispose();
            _host?.Dispose();
        }
    }

    /// <summary>The model of one run: live buffers, the calls the guest must have seen, and the fault once it happened.</summary>
    private sealed class FaultRun
    {
        private readonly Front _front;
        private readonly Fault _fault;
        private readonly int _k;
        private int _nextId;

        public FaultRun(Front front, Fault fault, int k)
        {
            _front = front;
            _fault = fault;
            _k = k;
        }

        public List<TrackedBuffer> Live { get; } = new();

        public int AllocCalls { get; private set; }

        public int FreeCalls { get; private set; }

        public int OutOfMemory { get; private set; }

        public Exception? Trap { get; private set; }

        public void Allocate(ElementKind kind, int length, int seed)
        {
            int size = ElementKinds.Size(kind);
            string what = $"Allocate<{kind}>({length})";
            if (Trap is not null)
            {
                var refused = FuzzRun.Expect<WasmModuleFaultedException>(() => Create(kind, length), what + " after the fault");
                Assert.Same(Trap, refused.InnerException);
            }
            else if (length * size == 0)
            {
                Live.Add(Create(kind, length)); // never reaches the guest
            }
            else if (++AllocCalls == _k && _fault == Fault.AllocReturnsZero)
            {
                var oom = FuzzRun.Expect<WasmOutOfMemoryException>(() => Create(kind, length), what + " when the allocator returns 0");
                Assert.Equal((long)length * size, oom.RequestedBytes);
                OutOfMemory++;
            }
            else if (AllocCalls == _k && _fault == Fault.AllocTraps)
            {
                var trap = FuzzRun.Expect<WasmTrapException>(() => Create(kind, length), what + " when the allocator traps");
                Assert.Equal("wsm_alloc", trap.ExportName);
                Trap = trap;
            }
            else
            {
                TrackedBuffer buffer = Create(kind, length);
                buffer.Write(seed, 1, 0);
                Live.Add(buffer);
            }

            Check(what);
        }

        public void Dispose(TrackedBuffer buffer)
        {
            bool callsGuest = Trap is null && buffer.ByteLength > 0;
            if (callsGuest && ++FreeCalls == _k && _fault == Fault.FreeTraps)
            {
                var trap = FuzzRun.Expect<WasmTrapException>(buffer.Dispose, $"Dispose of {buffer} when free traps");
                Assert.Equal("wsm_free", trap.ExportName);
                Trap = trap;
            }
            else
            {
                buffer.Dispose();
            }

            Live.Remove(buffer);
            buffer.CheckEveryMemberThrowsDisposed(moduleDisposed: false);
            buffer.DisposeAgain();
            Check($"Dispose of {buffer}");
        }

        public void SquareInPlace()
        {
            if (Live.OfType<TrackedBuffer<float>>().FirstOrDefault() is not { } buffer)
            {
                return;
            }

            if (Trap is not null)
            {
                FuzzRun.Expect<WasmModuleFaultedException>(() => _front.Square(buffer.Buffer), $"Multiply of {buffer} after the fault");
            }
            else
            {
                float[] expected = buffer.Expected.Select(x => x * x).ToArray();
                _front.Square(buffer.Buffer);
                Assert.Equal(expected, buffer.Buffer.ToArray());
                buffer.Accept();
            }

            Check($"Multiply of {buffer}");
        }

        private TrackedBuffer Create(ElementKind kind, int length) => ElementKinds.Allocate(_front, _nextId++, kind, length);

        private void Check(string after)
        {
            long liveBytes = Live.Sum(b => b.ByteLength);
            Require(_front.LiveBuffers == Live.Count && _front.LiveBytes == liveBytes, $"the module counts {_front.LiveBuffers} live buffers of {_front.LiveBytes} bytes, the model {Live.Count} of {liveBytes}");
            Require(_front.IsFaulted == (Trap is not null), $"IsFaulted is {_front.IsFaulted} but a trap {(Trap is null ? "has not" : "has")} happened");
            Require(_front.Global("alloc_calls") == AllocCalls && _front.Global("free_calls") == FreeCalls, $"the guest saw {_front.Global("alloc_calls")} allocator and {_front.Global("free_calls")} free calls, the model expects {AllocCalls} and {FreeCalls}");
            if (Trap is null)
            {
                int blocks = Live.Count(b => b.ByteLength > 0);
                Require(_front.Global("outstanding") == blocks, $"the guest's ledger has {_front.Global("outstanding")} blocks outstanding, the host {blocks} non-empty buffers");
            }

            foreach (TrackedBuffer buffer in Live)
            {
                buffer.CheckIntact();
            }

            void Require(bool condition, string problem)
            {
                if (!condition)
                {
                    throw new FuzzFailure($"After {after}: {problem}.");
                }
            }
        }
    }
}
