;; The imports of an Emscripten build that uses JavaScript APIs beyond the runtime's (embind's emval, the file
;; system's syscalls) beside runtime ones the host defines itself; it needs nothing else to load.
(module
  (import "env" "emscripten_resize_heap" (func (param i32) (result i32)))
  (import "env" "_emval_incref" (func (param i32)))
  (import "env" "__syscall_openat" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "setTempRet0" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32)))
