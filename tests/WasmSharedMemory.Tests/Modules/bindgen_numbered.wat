;; The allocator as recent wasm-bindgen builds export it (tiktoken 1.0.22): numbered exports, told apart only by their
;; signatures. __wbindgen_export_0 is the exception store (i32) -> (), _1 malloc (size, align) -> ptr, _2 realloc
;; (ptr, old, new, align) -> ptr, _3 free (ptr, size, align); free counts its calls in frees.
(module
  (import "./crate_bg.js" "__wbindgen_throw" (func $throw (param i32 i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (global $frees (mut i32) (i32.const 0))
  (func (export "__wbindgen_export_0") (param i32))
  (func (export "__wbindgen_export_1") (param $size i32) (param $align i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "__wbindgen_export_2") (param i32 i32 i32 i32) (result i32) (i32.const 0))
  (func (export "__wbindgen_export_3") (param i32 i32 i32)
    (global.set $frees (i32.add (global.get $frees) (i32.const 1))))
  (func (export "frees") (result i32) (global.get $frees))
  (func (export "__wbindgen_add_to_stack_pointer") (param i32) (result i32) (i32.const 0))
)
