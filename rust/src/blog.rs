//! The blog post's exports, kept so its JavaScript runs unchanged against our modules, made sound.
//!
//! The post allocated with `Vec::<u8>::with_capacity` (align 1) and freed by rebuilding a `Vec<f32>`
//! (align 4): a layout mismatch. Here every one of these goes through `wsm_alloc`/`wsm_free`, whose single
//! layout rule (16-byte alignment, sizes rounded to 16) makes `wasm_alloc_bytes(4 * n)` and
//! `wasm_alloc_f32(n)` both valid partners of `free_f32_vec(n, ptr)`.

use crate::allocator::{wsm_alloc, wsm_free};
use crate::kernels::multiply_f32;

const F32_BYTES: usize = std::mem::size_of::<f32>();

/// Allocates `size_in_bytes` bytes (16-byte aligned); returns 0 on failure.
#[no_mangle]
pub extern "C" fn wasm_alloc_bytes(size_in_bytes: usize) -> *mut u8 {
    wsm_alloc(size_in_bytes, 1)
}

/// Allocates room for `n` `f32` values (16-byte aligned); returns 0 on failure or overflow.
#[no_mangle]
pub extern "C" fn wasm_alloc_f32(n: usize) -> *mut f32 {
    match n.checked_mul(F32_BYTES) {
        Some(size) => wsm_alloc(size, F32_BYTES) as *mut f32,
        None => std::ptr::null_mut(),
    }
}

/// Frees a block of `n` `f32` values from [`wasm_alloc_f32`] or `wasm_alloc_bytes(4 * n)`.
///
/// # Safety
/// `ptr` must be such a block, not yet freed, or null.
#[no_mangle]
pub unsafe extern "C" fn free_f32_vec(n: usize, ptr: *mut f32) {
    if let Some(size) = n.checked_mul(F32_BYTES) {
        // SAFETY: forwarded from the caller; the layout rule maps both allocation paths to this one.
        unsafe { wsm_free(ptr as *mut u8, size, F32_BYTES) }
    }
}

/// The post's kernel: `output[i] = input_a[i] * input_b[i]`, here without rebuilding `Vec`s.
///
/// # Safety
/// As [`multiply_f32`].
#[no_mangle]
pub unsafe extern "C" fn multiply_f32_v(n: usize, output: *mut f32, input_a: *const f32, input_b: *const f32) {
    // SAFETY: forwarded from the caller.
    unsafe { multiply_f32(n, output, input_a, input_b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blog_flow_squares_one_to_sixteen() {
        let n = 16;
        unsafe {
            let a = wasm_alloc_f32(n);
            let b = wasm_alloc_bytes(n * 4) as *mut f32;
            let out = wasm_alloc_f32(n);
            for i in 0..n {
                *a.add(i) = (i + 1) as f32;
                *b.add(i) = (i + 1) as f32;
            }
            multiply_f32_v(n, out, a, b);
            for i in 0..n {
                assert_eq!(*out.add(i), ((i + 1) * (i + 1)) as f32);
            }
            free_f32_vec(n, a);
            free_f32_vec(n, b);
            free_f32_vec(n, out);
        }
    }

    #[test]
    fn byte_and_f32_allocations_free_with_the_same_layout() {
        for n in [1usize, 3, 4, 16, 1000] {
            assert_eq!(
                crate::allocator::block_layout(n * 4, 1),
                crate::allocator::block_layout(n * 4, F32_BYTES)
            );
        }
    }

    #[test]
    fn f32_allocation_overflow_returns_null() {
        assert!(wasm_alloc_f32(usize::MAX / 2).is_null());
    }

    #[test]
    fn blocks_are_16_byte_aligned() {
        let p = wasm_alloc_bytes(3);
        assert_eq!(p as usize % 16, 0);
        unsafe { free_f32_vec(1, p as *mut f32) };
    }
}
