;; A host module whose start function loops forever: only a load's limits (CallTimeout, LoadCancellationToken) end it.
(module
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (func (export "malloc") (param $size i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))
  (func $start (loop $forever (br $forever)))
  (start $start)
)
