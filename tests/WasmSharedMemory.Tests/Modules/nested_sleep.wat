;; A WASI sleep at the bottom of a deep stack of nested calls (NestedSleepProbe): down(depth) calls the host function
;; env.deeper(depth), which calls down(depth - 1) back in, each level with a token of its own, until at depth 0 it calls
;; sleep(ns): one relative monotonic clock subscription (at 256; the event at 512, the event count at 640).
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "env" "deeper" (func $deeper (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))
  (func (export "down") (param $depth i32) (result i32)
    (call $deeper (local.get $depth)))
  (func (export "sleep") (param $ns i64) (result i32)
    (i64.store (i32.const 256) (i64.const 7))
    (i32.store8 (i32.const 264) (i32.const 0))
    (i32.store (i32.const 272) (i32.const 1))
    (i64.store (i32.const 280) (local.get $ns))
    (i64.store (i32.const 288) (i64.const 0))
    (i32.store16 (i32.const 296) (i32.const 0))
    (call $poll_oneoff (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 640)))
)
