;; A C-style allocator that returns 8-aligned blocks that are never 16-aligned, as malloc(size) may (C asks no more
;; of it on wasm32, and wasi-libc's and Emscripten's give 8), and exports whose out/ref parameters check the
;; alignment their type needs: each traps on a misaligned pointer.
(module
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1032))
  (global $frees (export "frees") (mut i32) (i32.const 0))
  (global $mallocs (export "mallocs") (mut i32) (i32.const 0))
  (func (export "malloc") (param $size i32) (result i32) (local $p i32)
    (global.set $mallocs (i32.add (global.get $mallocs) (i32.const 1)))
    (local.set $p (global.get $next))
    (if (i32.gt_u (i32.add (local.get $p) (local.get $size)) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow (i32.add (i32.shr_u (i32.add (local.get $size) (i32.const 65535)) (i32.const 16)) (i32.const 1)))
              (i32.const -1))
          (then (return (i32.const 0))))))
    ;; Advance by a multiple of 16, so every block stays at 8 modulo 16.
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "malloc_count") (result i32) (global.get $mallocs))
  (func (export "free") (param i32)
    (global.set $frees (i32.add (global.get $frees) (i32.const 1))))
  ;; answer(out uint): writes 42; traps unless 4-aligned.
  (func (export "answer") (param $out i32)
    (if (i32.and (local.get $out) (i32.const 3)) (then unreachable))
    (i32.store (local.get $out) (i32.const 42)))
  ;; bump_pair(ref Pair): A += 1, B *= 2; traps unless 8-aligned.
  (func (export "bump_pair") (param $p i32)
    (if (i32.and (local.get $p) (i32.const 7)) (then unreachable))
    (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
    (i64.store offset=8 (local.get $p) (i64.mul (i64.load offset=8 (local.get $p)) (i64.const 2))))
  ;; wide(out Int128): writes 1 << 64 | 7; traps unless 16-aligned.
  (func (export "wide") (param $out i32)
    (if (i32.and (local.get $out) (i32.const 15)) (then unreachable))
    (i64.store (local.get $out) (i64.const 7))
    (i64.store offset=8 (local.get $out) (i64.const 1)))
  ;; fill_block(out Block512): writes its 64 longs as 0, 1, 2, ...
  (func (export "fill_block") (param $out i32) (local $i i32)
    (if (i32.and (local.get $out) (i32.const 7)) (then unreachable))
    (block $done
      (loop $next
        (br_if $done (i32.eq (local.get $i) (i32.const 64)))
        (i64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (i64.extend_i32_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
)
