;; A tenant that opens a file: open_file() opens "a.txt" in the first preopened directory (fd 3) for reading and
;; returns its descriptor, or -errno; close_fd(fd) closes one and returns the errno. A bump malloc, for the host's contract.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 2048) "a.txt")
  (global $next (mut i32) (i32.const 4096))
  (func (export "malloc") (param $size i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 15)) (i32.const -16))))
    (local.get $p))
  (func (export "free") (param i32))
  (func (export "open_file") (result i32) (local $errno i32)
    (local.set $errno
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 2048) (i32.const 5) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1024)))
    (if (result i32) (local.get $errno)
      (then (i32.sub (i32.const 0) (local.get $errno)))
      (else (i32.load (i32.const 1024)))))
  (func (export "close_fd") (param $fd i32) (result i32) (call $fd_close (local.get $fd))))
