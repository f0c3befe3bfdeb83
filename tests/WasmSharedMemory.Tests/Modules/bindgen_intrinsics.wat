;; wasm-bindgen intrinsics as older builds import them (from __wbindgen_placeholder__, values held by index), with
;; probes that exercise each: a number and a string through the object heap (old and new signatures of
;; number_get, string_get and json_serialize), the predicates on the constants, and a rethrown error.
(module
  (import "__wbindgen_placeholder__" "__wbindgen_number_new" (func $number_new (param f64) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_number_get" (func $number_get (param i32 i32) (result f64)))
  (import "__wbindgen_placeholder__" "__wbindgen_string_new" (func $string_new (param i32 i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_string_get" (func $string_get (param i32 i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_json_serialize" (func $json_serialize (param i32 i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_json_parse" (func $json_parse (param i32 i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_is_undefined" (func $is_undefined (param i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_is_null" (func $is_null (param i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_is_object" (func $is_object (param i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_boolean_get" (func $boolean_get (param i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_error_new" (func $error_new (param i32 i32) (result i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_rethrow" (func $rethrow (param i32)))
  (import "__wbindgen_placeholder__" "__wbindgen_object_drop_ref" (func $drop_ref (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (data (i32.const 32) "{\"a\":[1,2]}")
  (data (i32.const 64) "bad input")
  (global $next (mut i32) (i32.const 1024))
  (func (export "__wbindgen_malloc") (param $size i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8))))
    (local.get $p))
  (func (export "__wbindgen_free") (param i32 i32))

  ;; The number x through the heap and back (old number_get: a flag byte at 512 set when it is not a number).
  (func (export "number_roundtrip") (param $x f64) (result f64) (local $idx i32) (local $y f64)
    (local.set $idx (call $number_new (local.get $x)))
    (local.set $y (call $number_get (local.get $idx) (i32.const 512)))
    (call $drop_ref (local.get $idx))
    (local.get $y))
  ;; number_get of a string: 1 when the flag byte was set.
  (func (export "number_of_string") (result i32) (local $idx i32)
    (i32.store8 (i32.const 512) (i32.const 0))
    (local.set $idx (call $string_new (i32.const 16) (i32.const 5)))
    (drop (call $number_get (local.get $idx) (i32.const 512)))
    (call $drop_ref (local.get $idx))
    (i32.load8_u (i32.const 512)))
  ;; "hello" through the heap; the copy's address returned, its length at 520.
  (func (export "string_roundtrip") (result i32) (local $idx i32) (local $p i32)
    (local.set $idx (call $string_new (i32.const 16) (i32.const 5)))
    (local.set $p (call $string_get (local.get $idx) (i32.const 520)))
    (call $drop_ref (local.get $idx))
    (local.get $p))
  ;; The JSON at 32 parsed and serialized again; the text's address returned, its length at 520.
  (func (export "json_roundtrip") (result i32) (local $idx i32) (local $p i32)
    (local.set $idx (call $json_parse (i32.const 32) (i32.const 11)))
    (if (i32.eqz (call $is_object (local.get $idx))) (then unreachable))
    (local.set $p (call $json_serialize (local.get $idx) (i32.const 520)))
    (call $drop_ref (local.get $idx))
    (local.get $p))
  ;; The constants of an older build (undefined at 32, null 33, true 34, false 35) and a newer one (128..131):
  ;; returns a bit per check that held.
  (func (export "constants") (result i32)
    (i32.or (i32.or (i32.or
      (call $is_undefined (i32.const 32))
      (i32.shl (call $is_null (i32.const 33)) (i32.const 1)))
      (i32.or (i32.shl (call $boolean_get (i32.const 34)) (i32.const 2))
              (i32.shl (i32.eqz (call $boolean_get (i32.const 35))) (i32.const 3))))
      (i32.or (i32.shl (call $is_undefined (i32.const 128)) (i32.const 4))
              (i32.shl (i32.eq (call $boolean_get (i32.const 132)) (i32.const 2)) (i32.const 5)))))
  (func (export "new_number") (result i32) (call $number_new (f64.const 1)))
  ;; An Error made from "bad input", rethrown.
  (func (export "rethrow") (call $rethrow (call $error_new (i32.const 64) (i32.const 9))))
)
