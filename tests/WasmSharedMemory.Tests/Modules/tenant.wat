;; A module a tenant can leave changed in each way a WasmHostPool's reuse cares about: trap(); grow(pages) linear
;; memory; bump() its exported global; table_set(i) slot i of its exported table to $two, table_grow(n) it;
;; call_slot(i) calls through slot i (slot 0 starts as $one). A bump malloc over the first page above 1024, which
;; never frees and returns 0 once the page is full.
(module
  (memory (export "memory") 1)
  (table $table (export "table") 2 funcref)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global $next (mut i32) (i32.const 1024))
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (elem (i32.const 0) $one)
  (elem declare func $two)
  (func (export "malloc") (param $size i32) (result i32) (local $p i32) (local $end i32)
    (local.set $p (global.get $next))
    (local.set $end (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (if (i32.gt_u (local.get $end) (i32.const 65536)) (then (return (i32.const 0))))
    (global.set $next (local.get $end))
    (local.get $p))
  (func (export "free") (param i32))
  (func (export "trap") unreachable)
  (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func (export "table_set") (param $i i32) (table.set $table (local.get $i) (ref.func $two)))
  (func (export "table_grow") (param $n i32) (result i32) (table.grow $table (ref.null func) (local.get $n)))
  (func (export "call_slot") (param $i i32) (result i32) (call_indirect $table (result i32) (local.get $i))))
