// Kernels over buffers the HOST allocated, built by the AssemblyScript compiler rather than our Rust
// toolchain. The host allocates with the module's own runtime, exported by --exportRuntime:
//   ptr = __new(byteLength, 0); __pin(ptr); ... use ptr ...; __unpin(ptr)
// __new zero-fills and returns a 16-byte aligned payload; pinning keeps the incremental GC from freeing the
// block while only the host holds its address. Every kernel takes that address and an element count.
//
// A count < 0 throws Error("negative length"), which AssemblyScript lowers to a call of the host's
// env.abort(message, fileName, line, column) followed by a trap; a count of 0 is a no-op.
// See build.sh for the imports the host must define and for how abort's strings are laid out.

// Host imports besides env.abort (which the compiler adds for `throw`).
@external("env", "host_log")
declare function host_log(ptr: usize, byteLength: i32): void;

@external("env", "host_scale")
declare function host_scale(x: f32): f32;

// One throw site, so the host sees the same file, line and column from every kernel.
function checkLength(n: i32): void {
  if (n < 0) throw new Error("negative length");
}

/** Multiplies n float32 values at ptr by factor, in place. */
export function scale(ptr: usize, n: i32, factor: f32): void {
  checkLength(n);
  for (let i = 0; i < n; i++) {
    let at = ptr + (<usize>i << 2);
    store<f32>(at, load<f32>(at) * factor);
  }
}

/** Sum of n float64 values at ptr, added left to right in double precision so a host can reproduce it. */
export function sum(ptr: usize, n: i32): f64 {
  checkLength(n);
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    total += load<f64>(ptr + (<usize>i << 3));
  }
  return total;
}

/**
 * Inclusive prefix sum of n int32 values: dst[i] = src[0] + ... + src[i], wrapping modulo 2^32.
 * dst may equal src (each element is read before it is written); any other overlap gives unspecified results.
 */
export function prefix_sum(src: usize, dst: usize, n: i32): void {
  checkLength(n);
  let running: i32 = 0;
  for (let i = 0; i < n; i++) {
    let offset = <usize>i << 2;
    running += load<i32>(src + offset);
    store<i32>(dst + offset, running);
  }
}

/**
 * Counts the n bytes at src into 256 uint32 bins at bins (1,024 bytes): bins[v] = how many bytes equal v.
 * The bins are cleared first, so the result never depends on what the host left there.
 */
export function histogram(src: usize, n: i32, bins: usize): void {
  checkLength(n);
  memory.fill(bins, 0, 256 << 2);
  for (let i = 0; i < n; i++) {
    let bin = bins + (<usize>load<u8>(src + <usize>i) << 2);
    store<u32>(bin, load<u32>(bin) + 1);
  }
}

/** Replaces each of the n float32 values at ptr with host_scale(value), calling the host once per element, in order. */
export function scale_with_host(ptr: usize, n: i32): void {
  checkLength(n);
  for (let i = 0; i < n; i++) {
    let at = ptr + (<usize>i << 2);
    store<f32>(at, host_scale(load<f32>(at)));
  }
}

/**
 * Decodes byteLength bytes of UTF-8 at namePtr, passes "hello, <name>!" to host_log as UTF-8 (the module
 * encodes it into a block of its own memory, valid only during the call), and returns that message's byte
 * length.
 */
export function greet(namePtr: usize, byteLength: i32): i32 {
  checkLength(byteLength);
  let name = String.UTF8.decodeUnsafe(namePtr, <usize>byteLength);
  let message = String.UTF8.encode("hello, " + name + "!");
  host_log(changetype<usize>(message), message.byteLength);
  return message.byteLength;
}

/** Always throws Error("fail <code>"), so a host can test how it reports a guest's abort. */
export function fail(code: i32): void {
  throw new Error("fail " + code.toString());
}

/**
 * Grows memory by pages (64 KiB each) and returns the previous size in pages, or -1 if it could not grow.
 * It exists so a host can grow memory under a buffer it holds; the host must not use the new pages itself, since
 * the allocator may hand them out later.
 */
export function grow(pages: i32): i32 {
  return memory.grow(pages);
}
