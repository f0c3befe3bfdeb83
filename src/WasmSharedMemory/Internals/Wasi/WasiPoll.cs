using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Loading;

namespace WasmSharedMemory.Internals.Wasi;

/// <summary>
/// The host's own WASI preview 1 <c>poll_oneoff</c>, defined over Wasmtime's (shadowing it), so that a guest blocked in a
/// clock wait is stopped by <see cref="WasmHostOptions.CallTimeout"/> and by the call's token like running code is: epochs
/// interrupt only WebAssembly, and Wasmtime's own sleep would hold the thread to its end.
/// </summary>
/// <remarks>
/// <para>
/// Clock subscriptions (realtime and monotonic, relative or absolute, read against Wasmtime's own clocks) are waited for
/// here: until the earliest is due, then one event for each that is due, in order; or until the call's deadline or a
/// token (the call's, a nested call's, the load's) stops the call as a timeout or cancellation does.
/// </para>
/// <para>
/// A poll with any fd subscription goes to Wasmtime's <c>poll_oneoff</c> (through <see cref="WasiShim"/>, over a copy of the
/// subscriptions, whose events are copied back): every stream this host grants is always ready
/// (stdin is empty, stdout and stderr take writes, files in preopened directories never block; a descriptor that is not
/// open fails the whole poll with <c>EBADF</c>), so it returns at once. As in Wasmtime: no subscriptions, another clock or an
/// unknown tag return <c>EINVAL</c> before any wait; pointers outside memory or misaligned for their type trap the call.
/// </para>
/// </remarks>
internal sealed class WasiPoll
{
    public const string Name = "poll_oneoff";

    private const int SubscriptionBytes = 48;
    private const int EventBytes = 32;
    private const byte ClockTag = 0;
    private const byte FdWriteTag = 2;
    private const int Realtime = 0;
    private const int Monotonic = 1;
    private const ushort AbsoluteTime = 1;
    private const int Inval = 28;

    // The longest wait a timeout converts to: about 73 years of 1 ns ticks; never reached, never overflowing.
    private const long LongestWait = long.MaxValue / 4;

    private static readonly ValueKind[] s_parameters = { ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32 };
    private static readonly ValueKind[] s_results = { ValueKind.Int32 };

    // The poll of each store, found from the caller: the definition is store-independent, so a linker shared by many
    // stores (one per engine) can hold it.
    private static readonly ConditionalWeakTable<Store, WasiPoll> s_stores = new();

    private readonly CallLimits _limits;
    private readonly Engine _engine;
    private readonly Store _store;
    private readonly long? _memoryLimit;
    private WasiShim? _wasmtime;

    private WasiPoll(CallLimits limits, Engine engine, Store store, long? memoryLimit) =>
        (_limits, _engine, _store, _memoryLimit) = (limits, engine, store, memoryLimit);

    /// <summary>Gets Wasmtime's own WASI, made on first need: a relative clock, the common sleep, needs none.</summary>
    private WasiShim Wasmtime => _wasmtime ??= WasiShim.Of(_engine, _store, _memoryLimit);

    /// <summary>
    /// Makes <paramref name="store"/>'s polls wait under <paramref name="limits"/>; before its module is instantiated.
    /// <paramref name="memoryLimit"/> is the store's memory limit, which the host's own WASI memory is kept out of.
    /// </summary>
    public static void Attach(Engine engine, Store store, CallLimits limits, long? memoryLimit) =>
        s_stores.Add(store, new WasiPoll(limits, engine, store, memoryLimit));

    /// <summary>Defines <c>poll_oneoff</c> in <paramref name="linker"/>, which already holds Wasmtime's WASI, for every store <see cref="Attach"/> prepared.</summary>
    public static void Define(Linker linker)
    {
        linker.AllowShadowing = true;
        try
        {
            linker.DefineFunction(ImportLinker.WasiModule, Name, Invoke, s_parameters, s_results);
        }
        finally
        {
            linker.AllowShadowing = false;
        }
    }

    private static void Invoke(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        if (!s_stores.TryGetValue(caller.Store, out WasiPoll? poll))
        {
            throw new InvalidOperationException("WASI poll_oneoff was called in a store the host did not prepare for it (WasiPoll.Attach).");
        }

        poll.Poll(caller, arguments, results);
    }

    private void Poll(Caller caller, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> results)
    {
        long start = Stopwatch.GetTimestamp();
        uint count = unchecked((uint)arguments[2].AsInt32());
        if (count == 0)
        {
            results[0] = Inval;
            return;
        }

        Memory memory = caller.GetMemory("memory") ?? throw new InvalidOperationException("WASI poll_oneoff needs the module's exported memory.");
        long subscriptions = Region(memory, arguments[0], (ulong)count * SubscriptionBytes, 8, "subscriptions");
        long events = Region(memory, arguments[1], (ulong)count * EventBytes, 8, "events");
        long eventCount = Region(memory, arguments[3], 4, 4, "event count");

        bool anyFd = false;
        for (long at = subscriptions, end = subscriptions + (count * (long)SubscriptionBytes); at < end; at += SubscriptionBytes)
        {
            byte tag = memory.ReadByte(at + 8);
            if (tag > FdWriteTag || (tag == ClockTag && memory.ReadInt32(at + 16) is not (Realtime or Monotonic)))
            {
                results[0] = Inval;
                return;
            }

            anyFd |= tag != ClockTag;
        }

        if (anyFd)
        {
            results[0] = Wasmtime.Poll(memory, subscriptions, events, count, eventCount);
            return;
        }

        var clocks = new ClockReadings(this);
        long earliest = long.MaxValue;
        for (uint i = 0; i < count; i++)
        {
            earliest = Math.Min(earliest, Due(memory, subscriptions + (i * (long)SubscriptionBytes), start, ref clocks));
        }

        _limits.WaitUntil(earliest);

        long now = Stopwatch.GetTimestamp();
        int written = 0;
        for (uint i = 0; i < count; i++)
        {
            long subscription = subscriptions + (i * (long)SubscriptionBytes);
            if (Due(memory, subscription, start, ref clocks) <= now)
            {
                long at = events + (written++ * (long)EventBytes);
                memory.GetSpan<byte>(at, EventBytes).Clear();
                memory.WriteInt64(at, memory.ReadInt64(subscription)); // userdata; error 0, type clock
            }
        }

        memory.WriteInt32(eventCount, written);
        results[0] = 0;
    }

    /// <summary>Checks that <paramref name="bytes"/> at the address in <paramref name="pointer"/> lie inside memory, aligned to <paramref name="alignment"/>; traps the call otherwise, as Wasmtime does.</summary>
    private static long Region(Memory memory, ValueBox pointer, ulong bytes, uint alignment, string what)
    {
        uint address = unchecked((uint)pointer.AsInt32());
        if (address % alignment != 0 || address + bytes > (ulong)memory.GetLength())
        {
            throw new InvalidOperationException(
                $"WASI poll_oneoff was given {what} at 0x{address:X8} ({bytes} bytes, aligned to {alignment}), which do not lie inside memory aligned.");
        }

        return address;
    }

    /// <summary>The Stopwatch time at which the clock subscription at <paramref name="subscription"/> is due, for a poll that began at <paramref name="start"/>.</summary>
    private static long Due(Memory memory, long subscription, long start, ref ClockReadings clocks)
    {
        ulong timeout = unchecked((ulong)memory.ReadInt64(subscription + 24));
        if ((memory.ReadInt16(subscription + 40) & AbsoluteTime) != 0)
        {
            ulong now = clocks.Now(memory.ReadInt32(subscription + 16));
            timeout = timeout > now ? timeout - now : 0;
        }

        double ticks = Math.Ceiling(timeout * (Stopwatch.Frequency / 1e9));
        return start + (ticks >= LongestWait ? LongestWait : (long)ticks);
    }

    /// <summary>Each clock read at most once per poll, from Wasmtime's own, so absolute times mean what the guest's clock says.</summary>
    private struct ClockReadings
    {
        private readonly WasiPoll _poll;
        private ulong? _realtime;
        private ulong? _monotonic;

        public ClockReadings(WasiPoll poll) => (_poll, _realtime, _monotonic) = (poll, null, null);

        public ulong Now(int clock) => clock == Realtime ? _realtime ??= _poll.Wasmtime.Now(Realtime) : _monotonic ??= _poll.Wasmtime.Now(Monotonic);
    }
}
