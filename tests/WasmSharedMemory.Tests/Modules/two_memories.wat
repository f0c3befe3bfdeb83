;; Two exported memories, neither named "memory", and a bump allocator in the second ("data").
(module
  (memory (export "scratch") 1)
  (memory $data (export "data") 2)
  (global $top (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))
  (func (export "data_pages") (result i32) (memory.size $data)))
