;; poll_fd_writes(n): one WASI poll_oneoff of n fd_write subscriptions on stdout (userdata = index), with the events
;; written over the subscriptions (the host copies them out first) and the event count after the subscriptions, so
;; 27,000 of them fit in the 2 MiB memory. nevents(n) reads the count back. A bump malloc, for the host's contract.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 32)
  (global $next (mut i32) (i32.const 0x1F0000))
  (func (export "malloc") (param $size i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))
  (func $count_at (param $n i32) (result i32) (i32.mul (local.get $n) (i32.const 48)))
  (func (export "poll_fd_writes") (param $n i32) (result i32) (local $i i32) (local $at i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.mul (local.get $i) (i32.const 48)))
        (i64.store (local.get $at) (i64.extend_i32_u (local.get $i)))
        (i32.store8 offset=8 (local.get $at) (i32.const 2))
        (i32.store offset=16 (local.get $at) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store (call $count_at (local.get $n)) (i32.const -1))
    (call $poll_oneoff (i32.const 0) (i32.const 0) (local.get $n) (call $count_at (local.get $n))))
  (func (export "nevents") (param $n i32) (result i32) (i32.load (call $count_at (local.get $n)))))
