using System;
using System.Runtime.CompilerServices;
using Wasmtime;

namespace WasmSharedMemory.Internals.Wasi;

/// <summary>
/// A tiny instance in the guest's store through which the host reaches Wasmtime's own WASI preview 1: its clocks, and
/// its <c>poll_oneoff</c> over a copy of the guest's subscriptions. Wasmtime's WASI functions work on the memory of the
/// instance that calls them, so the host cannot call them directly; this instance calls them over its own memory.
/// One per store, made on first need (<see cref="Of"/>), shared by the poll and the descriptor census.
/// </summary>
internal sealed class WasiShim
{
    /// <summary>The most descriptors, from 0, <see cref="Descriptors"/> describes.</summary>
    public const int CensusDescriptors = 128;

    /// <summary>Gets the bytes <see cref="Descriptors"/> gives for each descriptor.</summary>
    public const int CensusRecordBytes = 32;

    // descriptors(n): for each fd below n, a 32-byte record at fd * 32: fd_fdstat_get's errno, then (at 8) the fdstat
    // it wrote (file type, flags, rights), zeros if it failed.
    private const string Text = """
        (module
          (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
          (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "now") (param i32) (result i64)
            (drop (call $clock (local.get 0) (i64.const 1) (i32.const 0)))
            (i64.load (i32.const 0)))
          (func (export "poll") (param i32 i32 i32 i32) (result i32)
            (call $poll (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "descriptors") (param $n i32) (local $fd i32) (local $at i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $fd) (local.get $n)))
                (local.set $at (i32.shl (local.get $fd) (i32.const 5)))
                (i64.store offset=8 (local.get $at) (i64.const 0))
                (i64.store offset=16 (local.get $at) (i64.const 0))
                (i64.store offset=24 (local.get $at) (i64.const 0))
                (i64.store (local.get $at) (i64.extend_i32_u (call $fdstat (local.get $fd) (i32.add (local.get $at) (i32.const 8)))))
                (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
                (br $next)))))
        """;

    private const int SubscriptionBytes = 48;
    private const int EventBytes = 32;

    // Compiled once per engine, kept as long as the engine lives; instantiated once per store, kept as long as it lives.
    private static readonly ConditionalWeakTable<Engine, Module> s_modules = new();
    private static readonly ConditionalWeakTable<Store, WasiShim> s_stores = new();

    private readonly Store _store;
    private readonly long? _guestLimit;
    private readonly Function _now;
    private readonly Function _poll;
    private readonly Function _descriptors;
    private readonly Memory _memory;

    private WasiShim(Store store, long? guestLimit, Instance instance)
    {
        (_store, _guestLimit) = (store, guestLimit);
        _now = instance.GetFunction("now")!;
        _poll = instance.GetFunction("poll")!;
        _descriptors = instance.GetFunction("descriptors")!;
        _memory = instance.GetMemory("memory")!;
    }

    /// <summary>Returns <paramref name="store"/>'s shim, instantiating it on first need (see <see cref="Instantiate"/>); only from inside a call into the store.</summary>
    public static WasiShim Of(Engine engine, Store store, long? guestLimit)
    {
        if (!s_stores.TryGetValue(store, out WasiShim? shim))
        {
            shim = Instantiate(engine, store, guestLimit);
            s_stores.Add(store, shim);
        }

        return shim;
    }

    /// <summary>
    /// Instantiates the shim in <paramref name="store"/>, whose WASI context it shares; on first need only (it may be from
    /// inside a call), since its memory reserves address space like any other.
    /// </summary>
    /// <param name="engine">The store's engine.</param>
    /// <param name="store">The guest's store.</param>
    /// <param name="guestLimit">
    /// The store's memory limit (<see cref="InstanceOptions.MaxMemoryBytes"/>), or null for none. Wasmtime applies a
    /// store's limit to every memory in it, so the shim's own memory is created and grown with the limit lifted and
    /// then restored: the guest's limit is the guest's, and a poll that fits in its memory fits under it.
    /// </param>
    private static WasiShim Instantiate(Engine engine, Store store, long? guestLimit)
    {
        Module module = s_modules.GetValue(engine, e => Module.FromText(e, "wasmsharedmemory-wasi-shim", Text));
        using var linker = new Linker(engine);
        linker.DefineWasi();
        return new WasiShim(store, guestLimit, Unlimited(store, guestLimit, () => linker.Instantiate(store, module)));
    }

    /// <summary>
    /// Describes the store's first <paramref name="count"/> WASI descriptors (at most <see cref="CensusDescriptors"/>) as
    /// <c>fd_fdstat_get</c> sees them: which are open, and each one's type, flags and rights, <see cref="CensusRecordBytes"/>
    /// each. Two equal censuses mean no descriptor among them was opened, closed, renumbered or changed in between.
    /// </summary>
    public byte[] Descriptors(int count)
    {
        _descriptors.Invoke(count);
        return _memory.GetSpan<byte>(0, count * CensusRecordBytes).ToArray();
    }

    /// <summary>Reads clock <paramref name="clock"/> (0 realtime, 1 monotonic) as the guest's <c>clock_time_get</c> would, in nanoseconds.</summary>
    public ulong Now(int clock) => unchecked((ulong)(long)_now.Invoke(clock)!);

    /// <summary>
    /// Runs Wasmtime's <c>poll_oneoff</c> over a copy of the <paramref name="count"/> subscriptions at
    /// <paramref name="subscriptions"/> in <paramref name="guest"/>, and copies its events and their count back.
    /// </summary>
    /// <returns>Its errno.</returns>
    public int Poll(Memory guest, long subscriptions, long events, uint count, long eventCount)
    {
        long eventsAt = count * (long)SubscriptionBytes;
        long countAt = eventsAt + (count * (long)EventBytes);
        long pages = (countAt + 8 + Memory.PageSize - 1) / Memory.PageSize;
        if (pages > _memory.GetSize())
        {
            Unlimited(_store, _guestLimit, () => _memory.Grow(pages - _memory.GetSize()));
        }

        for (long i = 0; i < count; i++)
        {
            guest.GetSpan<byte>(subscriptions + (i * SubscriptionBytes), SubscriptionBytes).CopyTo(_memory.GetSpan<byte>(i * SubscriptionBytes, SubscriptionBytes));
        }

        int errno = (int)_poll.Invoke(0, (int)eventsAt, unchecked((int)count), (int)countAt)!;
        if (errno == 0)
        {
            int written = _memory.ReadInt32(countAt);
            for (long i = 0; i < written; i++)
            {
                _memory.GetSpan<byte>(eventsAt + (i * EventBytes), EventBytes).CopyTo(guest.GetSpan<byte>(events + (i * EventBytes), EventBytes));
            }

            guest.WriteInt32(eventCount, written);
        }

        return errno;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="store"/>'s memory limit lifted, then sets <paramref name="guestLimit"/>
    /// again: only from inside a call into the store (the thread that holds it), so no guest code runs meanwhile.
    /// </summary>
    private static T Unlimited<T>(Store store, long? guestLimit, Func<T> work)
    {
        if (guestLimit is null)
        {
            return work();
        }

        store.SetLimits(memorySize: null);
        try
        {
            return work();
        }
        finally
        {
            store.SetLimits(memorySize: guestLimit);
        }
    }
}
