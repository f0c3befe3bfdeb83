;; A host module for the call-limit tests (CallPathLimitMatrixTests, CallLimitTests): one export per kind of work a
;; limit stops, each counting its runs in the exported global `runs`, so a test sees whether a refused call ran.
;;
;;   quick() -> 7            spin() loops forever           burn(n) -> 0 after n loop iterations (fuel)
;;   grow(pages) -> old size in pages, or -1 past the cap (memory.grow)
;;   nest(what, arg) -> what the host function env.call_back(what, arg) returns: it calls back in (a nested call)
;;   _initialize: a reactor's, run at load: does what the host function env.init_work() -> i32 says:
;;                0 nothing, 1 spin, 2 burn(env.init_arg()), 3 grow by one page twice (results in init_grew_*)
(module
  (import "env" "call_back" (func $call_back (param i32 i32) (result i32)))
  (import "env" "init_work" (func $init_work (result i32)))
  (import "env" "init_arg" (func $init_arg (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (global $frees (export "frees") (mut i32) (i32.const 0))
  (global $runs (export "runs") (mut i32) (i32.const 0))
  (global $init_grew_first (export "init_grew_first") (mut i32) (i32.const -2))
  (global $init_grew_second (export "init_grew_second") (mut i32) (i32.const -2))

  (func (export "malloc") (param $size i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32)
    (global.set $frees (i32.add (global.get $frees) (i32.const 1))))

  (func $ran (global.set $runs (i32.add (global.get $runs) (i32.const 1))))

  (func (export "quick") (result i32)
    (call $ran)
    (i32.const 7))

  (func $spin (export "spin")
    (call $ran)
    (loop $forever (br $forever)))

  (func $burn (export "burn") (param $n i32) (result i32)
    (call $ran)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  (func (export "grow") (param $pages i32) (result i32)
    (call $ran)
    (memory.grow (local.get $pages)))

  (func (export "nest") (param $what i32) (param $arg i32) (result i32)
    (call $call_back (local.get $what) (local.get $arg)))

  (func (export "_initialize") (local $work i32)
    (local.set $work (call $init_work))
    (if (i32.eq (local.get $work) (i32.const 1)) (then (call $spin)))
    (if (i32.eq (local.get $work) (i32.const 2)) (then (drop (call $burn (call $init_arg)))))
    (if (i32.eq (local.get $work) (i32.const 3))
      (then
        (global.set $init_grew_first (memory.grow (i32.const 1)))
        (global.set $init_grew_second (memory.grow (i32.const 1))))))
)
