;; A module that imports its memory (as Emscripten's -sIMPORTED_MEMORY builds do): 3 pages, growing to at most 8,
;; with a bump allocator and a reader of one byte.
(module
  (import "env" "memory" (memory 3 8))
  (global $top (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))
  (func (export "load_byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
