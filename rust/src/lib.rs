//! The WebAssembly module behind WasmSharedMemory.
//!
//! It owns the linear memory that .NET views as `Span<T>`, hands out blocks of it through a small
//! allocator ABI (`wsm_alloc` / `wsm_free`), and runs kernels over those blocks:
//!
//! - element-wise, `(n, dst, a, b)`, `dst` may equal `a` or `b`: `multiply_f32`, `multiply_f64`,
//!   `multiply_i32`, `add_f32`, `add_f64`, `add_i32` (the `i32` kernels wrap);
//! - one block and a scalar, `(n, dst, a, k)`, `dst` may equal `a`: `scale_f32`, `scale_f64`
//!   (`dst[i] = a[i] * k`);
//! - dot products, `dot_f32(n, a, b) -> f32` and `dot_f64(n, a, b) -> f64`, summed in one documented order
//!   (see the `kernels` module) so both builds give the same bits, and `dot_f32_chunks(n, a, b, out)` /
//!   `dot_f64_chunks(n, a, b, out)`, which write the sum of each 4096-element chunk for hosts that split
//!   the work across threads.
//!
//! The same source builds twice: plain `wasm32-unknown-unknown` (scalar) and with
//! `-C target-feature=+simd128` (SIMD kernels on `f32x4`, `f64x2` and `i32x4` operations).
//!
//! Every export takes and returns wasm `i32` values (`usize` and pointers on `wasm32`), except that the
//! scale kernels take their factor as `f32` or `f64` and the dot products return `f32` or `f64`.

#![deny(unsafe_op_in_unsafe_fn)]

mod abi;
mod allocator;
mod blog;
mod kernels;

pub use abi::ABI_VERSION;
pub use allocator::{wsm_abi_version, wsm_alloc, wsm_free, LARGE_BLOCK_ALIGN, LARGE_BLOCK_BYTES, MIN_ALIGN};
pub use blog::{free_f32_vec, multiply_f32_v, wasm_alloc_bytes, wasm_alloc_f32};
pub use kernels::{add_f32, add_f64, add_i32, multiply_f32, multiply_f64, multiply_i32, scale_f32, scale_f64};
pub use kernels::{dot_f32, dot_f32_chunks, dot_f64, dot_f64_chunks, DOT_CHUNK};
