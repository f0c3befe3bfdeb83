;; A module shaped as wasm-bindgen builds them, for the WasmBindgen binding convention: its allocator, a shadow stack
;; for return areas, functions that take ownership of their (ptr, len) arguments and free them, results returned
;; through a return area, and wasm-bindgen intrinsics imported from "./demo_bg.js". free counts its calls and the
;; bytes it was given, so a test can tell who freed what.
(module
  (import "./demo_bg.js" "__wbindgen_throw" (func $throw (param i32 i32)))
  (import "./demo_bg.js" "__wbindgen_string_new" (func $string_new (param i32 i32) (result i32)))
  (import "./demo_bg.js" "__wbindgen_string_get" (func $string_get (param i32 i32)))
  (import "./demo_bg.js" "__wbindgen_object_drop_ref" (func $drop_ref (param i32)))
  (import "./demo_bg.js" "__wbindgen_externref_heap_live_count" (func $live_count (result i32)))
  (memory (export "memory") 2)
  (global $sp (mut i32) (i32.const 4096))
  (global $next (mut i32) (i32.const 8192))
  (global $frees (mut i32) (i32.const 0))
  (global $freed_bytes (mut i32) (i32.const 0))
  (func $malloc (export "__wbindgen_malloc") (param $size i32) (param $align i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func $free (export "__wbindgen_free") (param $ptr i32) (param $size i32) (param $align i32)
    (global.set $frees (i32.add (global.get $frees) (i32.const 1)))
    (global.set $freed_bytes (i32.add (global.get $freed_bytes) (local.get $size))))
  (func (export "__wbindgen_add_to_stack_pointer") (param $delta i32) (result i32)
    (global.set $sp (i32.add (global.get $sp) (local.get $delta)))
    (global.get $sp))
  (func (export "frees") (result i32) (global.get $frees))
  (func (export "freed_bytes") (result i32) (global.get $freed_bytes))
  (func (export "stack_pointer") (result i32) (global.get $sp))
  (func (export "live_objects") (result i32) (call $live_count))

  ;; reverse(retptr, ptr, len): a Vec<u8> of the bytes reversed; frees its argument.
  (func (export "reverse") (export "reverse_array") (export "reverse_buffer") (param $ret i32) (param $ptr i32) (param $len i32) (local $out i32) (local $i i32)
    (local.set $out (call $malloc (local.get $len) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 (i32.add (local.get $out) (local.get $i))
          (i32.load8_u (i32.sub (i32.add (local.get $ptr) (local.get $len)) (i32.add (local.get $i) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (local.get $len) (then (call $free (local.get $ptr) (local.get $len) (i32.const 1))))
    (i32.store (local.get $ret) (local.get $out))
    (i32.store offset=4 (local.get $ret) (local.get $len)))

  ;; upper(retptr, ptr, len): a String of the ASCII letters upper-cased; frees its argument.
  (func (export "upper") (param $ret i32) (param $ptr i32) (param $len i32) (local $out i32) (local $i i32) (local $c i32)
    (local.set $out (call $malloc (local.get $len) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
          (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
        (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $c))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (local.get $len) (then (call $free (local.get $ptr) (local.get $len) (i32.const 1))))
    (i32.store (local.get $ret) (local.get $out))
    (i32.store offset=4 (local.get $ret) (local.get $len)))

  ;; sum_u32(ptr, len) -> i32: adds a Vec<u32> and frees it.
  (func (export "sum_u32") (param $ptr i32) (param $len i32) (result i32) (local $i i32) (local $total i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $total (i32.add (local.get $total) (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (local.get $len) (then (call $free (local.get $ptr) (i32.shl (local.get $len) (i32.const 2)) (i32.const 4))))
    (local.get $total))

  ;; double_in_place(ptr, len): a &mut [u8], doubled in place; the caller frees it.
  (func (export "double_in_place") (export "double_buffer") (param $ptr i32) (param $len i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.shl (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; fail(ptr, len): throws its &str argument as wasm-bindgen's throw does.
  (func (export "fail") (param $ptr i32) (param $len i32)
    (call $throw (local.get $ptr) (local.get $len))
    unreachable)

  ;; roundtrip(retptr, ptr, len): a String made into a JsValue and read back through the object heap; frees its argument.
  (func (export "roundtrip") (param $ret i32) (param $ptr i32) (param $len i32) (local $idx i32)
    (local.set $idx (call $string_new (local.get $ptr) (local.get $len)))
    (if (local.get $len) (then (call $free (local.get $ptr) (local.get $len) (i32.const 1))))
    (call $string_get (local.get $ret) (local.get $idx))
    (call $drop_ref (local.get $idx)))
)
