using System;
using System.Threading;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;

namespace WasmSharedMemory.Internals.Wasi;

/// <summary>
/// A look at a host's WASI descriptor table (<see cref="WasiShim.Descriptors"/>), so a pool can tell whether a lease
/// left a descriptor open, closed, renumbered or changed. Only for a module that imports WASI preview 1.
/// </summary>
internal sealed class DescriptorCensus
{
    private readonly Engine _engine;
    private readonly Store _store;
    private readonly long? _memoryLimit;

    public DescriptorCensus(Engine engine, Store store, long? memoryLimit) => (_engine, _store, _memoryLimit) = (engine, store, memoryLimit);

    /// <summary>
    /// Takes the census on <paramref name="guest"/>'s guarded path: the shim's code is compiled for the guest's engine,
    /// so it runs under the gate and the call's limits (fuel, deadline) like any call the library makes.
    /// </summary>
    /// <exception cref="WasmSharedMemoryException">The host is faulted, or the call failed (and faulted it).</exception>
    /// <exception cref="System.ObjectDisposedException">The host has been disposed.</exception>
    /// <param name="guest">The host's instance.</param>
    /// <param name="count">How many descriptors, from 0, to describe (at most <see cref="WasiShim.CensusDescriptors"/>).</param>
    public byte[] Take(GuestInstance guest, int count)
    {
        var call = new CensusCall(this, count);
        return guest.Call<CensusCall, byte[]>(ref call);
    }

    /// <summary>
    /// How many descriptors a later census of a host whose first census was <paramref name="baseline"/> looks at: past
    /// the highest open one, <paramref name="headroom"/> more. Wasmtime gives a new descriptor the lowest free number
    /// or the next past the highest open, so a descriptor left open lies past them only if the lease had more than
    /// <paramref name="headroom"/> open at once.
    /// </summary>
    public static int Span(byte[] baseline, int headroom)
    {
        int highest = -1;
        for (int fd = 0; fd < baseline.Length / WasiShim.CensusRecordBytes; fd++)
        {
            if (baseline[fd * WasiShim.CensusRecordBytes] == 0 && baseline[(fd * WasiShim.CensusRecordBytes) + 1] == 0)
            {
                highest = fd; // errno 0: open
            }
        }

        return Math.Min(WasiShim.CensusDescriptors, highest + 1 + headroom);
    }

    private readonly struct CensusCall : IGuestCall<byte[]>
    {
        private readonly DescriptorCensus _census;
        private readonly int _count;

        public CensusCall(DescriptorCensus census, int count) => (_census, _count) = (census, count);

        public string Export => "fd_fdstat_get";

        public CancellationToken CancellationToken => CancellationToken.None;

        public bool Prepare(GuestInstance guest, out byte[] result)
        {
            result = null!;
            return true;
        }

        public byte[] Invoke(GuestInstance guest) => WasiShim.Of(_census._engine, _census._store, _census._memoryLimit).Descriptors(_count);
    }
}
