;; A bump allocator over a memory exported as "heap" (1 page, at most 16), which asks the host to grow it through
;; env.grow_heap(endBytes) -> 1 if memory now reaches endBytes, else 0, as Emscripten's malloc calls
;; emscripten_resize_heap. malloc returns 0 when the host declines.
(module
  (import "env" "grow_heap" (func $grow (param i32) (result i32)))
  (memory (export "heap") 1 16)
  (global $top (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32) (local $end i64)
    (local.set $p (i32.and (i32.add (global.get $top) (i32.const 15)) (i32.const -16)))
    (local.set $end (i64.add (i64.extend_i32_u (local.get $p)) (i64.extend_i32_u (local.get $size))))
    (if (i64.gt_u (local.get $end) (i64.const 0xFFFFFFFF)) (then (return (i32.const 0))))
    (if (i64.gt_u (local.get $end) (i64.mul (i64.extend_i32_u (memory.size)) (i64.const 65536)))
      (then (if (i32.eqz (call $grow (i32.wrap_i64 (local.get $end)))) (then (return (i32.const 0))))))
    (global.set $top (i32.wrap_i64 (local.get $end)))
    (local.get $p))
  (func (export "free") (param i32))
  (func (export "pages") (result i32) (memory.size)))
