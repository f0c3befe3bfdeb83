namespace WasmSharedMemory.Tests;

/// <summary>
/// A module that calls WASI <c>poll_oneoff</c> with the subscriptions a test asks for: subscriptions at 256 (48 bytes
/// each), events at 512 (32 bytes each), the event count at 640, a clock reading at 648.
/// </summary>
internal static class WasiPollModule
{
    public const string Imports = """
        (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
        """;

    /// <summary>
    /// <c>sleep(ns)</c>: one relative monotonic clock (userdata 7); <c>sleep_until(clock, ns)</c>: one absolute clock at
    /// that clock's now + ns (userdata 8), <c>sleep_at(clock, time)</c> at that absolute time; <c>two_clocks(a, b)</c>: relative clocks with userdata 1 and 2;
    /// <c>clock_id(id, ns)</c>: a relative clock of any id; <c>fd_and_clock(tag, fd, ns)</c>: an fd subscription
    /// (userdata 4) beside a relative clock (userdata 5); <c>poll_none()</c>: no subscriptions; <c>bad_tag()</c>: a
    /// subscription of tag 9; <c>poll_at(in, out, n)</c>: raw pointers. <c>nevents()</c>, <c>event_userdata(i)</c>,
    /// <c>event_error(i)</c>, <c>event_type(i)</c> read the events back.
    /// </summary>
    public const string Exports = """
        (func $sub (param $at i32) (param $userdata i64) (param $tag i32) (param $id i32) (param $timeout i64) (param $flags i32)
          (i64.store (local.get $at) (local.get $userdata))
          (i32.store8 offset=8 (local.get $at) (local.get $tag))
          (i32.store offset=16 (local.get $at) (local.get $id))
          (i64.store offset=24 (local.get $at) (local.get $timeout))
          (i64.store offset=32 (local.get $at) (i64.const 0))
          (i32.store16 offset=40 (local.get $at) (local.get $flags)))
        (func $poll (param $n i32) (result i32)
          (i32.store (i32.const 640) (i32.const -1))
          (call $poll_oneoff (i32.const 256) (i32.const 512) (local.get $n) (i32.const 640)))
        (func $now (param $clock i32) (result i64)
          (drop (call $clock_time_get (local.get $clock) (i64.const 1) (i32.const 648)))
          (i64.load (i32.const 648)))
        (func $sleep (export "sleep") (param $ns i64) (result i32)
          (call $sub (i32.const 256) (i64.const 7) (i32.const 0) (i32.const 1) (local.get $ns) (i32.const 0))
          (call $poll (i32.const 1)))
        (func (export "sleep_until") (param $clock i32) (param $ns i64) (result i32)
          (call $sub (i32.const 256) (i64.const 8) (i32.const 0) (local.get $clock) (i64.add (call $now (local.get $clock)) (local.get $ns)) (i32.const 1))
          (call $poll (i32.const 1)))
        (func (export "sleep_at") (param $clock i32) (param $abs i64) (result i32)
          (call $sub (i32.const 256) (i64.const 8) (i32.const 0) (local.get $clock) (local.get $abs) (i32.const 1))
          (call $poll (i32.const 1)))
        (func (export "two_clocks") (param $a i64) (param $b i64) (result i32)
          (call $sub (i32.const 256) (i64.const 1) (i32.const 0) (i32.const 1) (local.get $a) (i32.const 0))
          (call $sub (i32.const 304) (i64.const 2) (i32.const 0) (i32.const 1) (local.get $b) (i32.const 0))
          (call $poll (i32.const 2)))
        (func (export "clock_id") (param $id i32) (param $ns i64) (result i32)
          (call $sub (i32.const 256) (i64.const 3) (i32.const 0) (local.get $id) (local.get $ns) (i32.const 0))
          (call $poll (i32.const 1)))
        (func (export "fd_and_clock") (param $tag i32) (param $fd i32) (param $ns i64) (result i32)
          (call $sub (i32.const 256) (i64.const 4) (local.get $tag) (local.get $fd) (i64.const 0) (i32.const 0))
          (call $sub (i32.const 304) (i64.const 5) (i32.const 0) (i32.const 1) (local.get $ns) (i32.const 0))
          (call $poll (i32.const 2)))
        (func (export "poll_none") (result i32) (call $poll (i32.const 0)))
        (func (export "bad_tag") (result i32)
          (call $sub (i32.const 256) (i64.const 6) (i32.const 9) (i32.const 1) (i64.const 0) (i32.const 0))
          (call $poll (i32.const 1)))
        (func (export "poll_at") (param $in i32) (param $out i32) (param $n i32) (result i32)
          (call $poll_oneoff (local.get $in) (local.get $out) (local.get $n) (i32.const 640)))
        (func (export "nevents") (result i32) (i32.load (i32.const 640)))
        (func (export "event_userdata") (param $i i32) (result i64) (i64.load (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 5)))))
        (func (export "event_error") (param $i i32) (result i32) (i32.load16_u offset=8 (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 5)))))
        (func (export "event_type") (param $i i32) (result i32) (i32.load8_u offset=10 (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 5)))))
        """;

    /// <summary>The module with a CMalloc allocator.</summary>
    public static readonly string Text = HostModules.Module(HostModules.CMalloc, Exports, imports: Imports);

    /// <summary>The module whose start function sleeps <paramref name="milliseconds"/> in one monotonic clock subscription.</summary>
    public static string SleepingAtStart(long milliseconds) => HostModules.Module(
        HostModules.CMalloc,
        Exports + $"(func $start (drop (call $sleep (i64.const {milliseconds * 1_000_000L}))))(start $start)",
        imports: Imports);
}
