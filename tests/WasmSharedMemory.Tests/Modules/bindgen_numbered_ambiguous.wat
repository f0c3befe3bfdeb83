;; A numbered wasm-bindgen build in which two exports could be malloc: nothing tells them apart.
(module
  (memory (export "memory") 1)
  (func (export "__wbindgen_export_0") (param i32 i32) (result i32) (i32.const 1024))
  (func (export "__wbindgen_export_1") (param i32 i32) (result i32) (i32.const 2048))
  (func (export "__wbindgen_export_2") (param i32 i32 i32))
)
