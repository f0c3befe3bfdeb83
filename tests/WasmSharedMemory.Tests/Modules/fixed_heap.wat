;; A bump allocator over 2 pages of memory that never grows (no maximum declared): malloc returns 0 when it is full,
;; as a build without memory growth does.
(module
  (memory (export "memory") 2)
  (global $top (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32) (local $end i64)
    (local.set $p (i32.and (i32.add (global.get $top) (i32.const 15)) (i32.const -16)))
    (local.set $end (i64.add (i64.extend_i32_u (local.get $p)) (i64.extend_i32_u (local.get $size))))
    (if (i64.gt_u (local.get $end) (i64.mul (i64.extend_i32_u (memory.size)) (i64.const 65536))) (then (return (i32.const 0))))
    (global.set $top (i32.wrap_i64 (local.get $end)))
    (local.get $p))
  (func (export "free") (param i32)))
