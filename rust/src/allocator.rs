//! The host allocator ABI: `wsm_alloc(size, align) -> ptr`, `wsm_free(ptr, size, align)`.
//!
//! Hosts must free a block with the same `size` and `align` they allocated it with; both calls map those
//! through one rule (`block_layout`) so that callers which disagree only on `align` (the blog's
//! `wasm_alloc_bytes` + `free_f32_vec` pairing) or on a size within the same 16-byte granule still free
//! exactly the layout that was allocated.

use std::alloc::{alloc, dealloc, Layout};

use crate::abi::ABI_VERSION;

/// Every block is aligned to at least this many bytes, so a `v128` load never straddles a cache line
/// and every element type up to 16 bytes is naturally aligned.
pub const MIN_ALIGN: usize = 16;

/// Blocks of at least this many bytes (after rounding to the 16-byte granule) start on a
/// `LARGE_BLOCK_ALIGN` boundary.
pub const LARGE_BLOCK_BYTES: usize = 64 * 1024;

/// Alignment of large blocks: a cache line. Alignment alone does not change the speed of a `v128` loop
/// (docs/alignment.md), but the SIMD kernels take a faster path when every operand starts on a 64-byte
/// boundary (docs/benchmarks.md, kernel shape), and at 64 KiB and more the padding costs under 0.1%.
pub const LARGE_BLOCK_ALIGN: usize = 64;

/// The one rule that turns a requested `(size, align)` into the layout actually allocated and freed.
///
/// Returns `None` for an invalid request: zero size, an alignment that is not a power of two, or a
/// size that overflows when rounded up.
pub(crate) fn block_layout(size: usize, align: usize) -> Option<Layout> {
    if size == 0 || !align.is_power_of_two() {
        return None;
    }
    // Rounding to the granule makes sizes that differ only inside one granule name the same block, so
    // the alignment floor is chosen from the rounded size: those sizes must agree on it too.
    let size = size.checked_add(MIN_ALIGN - 1)? & !(MIN_ALIGN - 1);
    let floor = if size >= LARGE_BLOCK_BYTES { LARGE_BLOCK_ALIGN } else { MIN_ALIGN };
    Layout::from_size_align(size, align.max(floor)).ok()
}

/// Allocates `size` bytes aligned to `max(align, 16)` (64 for blocks of 64 KiB and more) and returns
/// the block's address.
///
/// Returns 0 when memory cannot grow far enough or when `align` is not a power of two; never traps.
/// A zero-size request with a valid `align` returns a non-zero, aligned address that owns no memory
/// (like Rust's dangling pointers); freeing it is a no-op.
#[no_mangle]
pub extern "C" fn wsm_alloc(size: usize, align: usize) -> *mut u8 {
    if size == 0 {
        return if align.is_power_of_two() { align.max(MIN_ALIGN) as *mut u8 } else { std::ptr::null_mut() };
    }
    match block_layout(size, align) {
        // SAFETY: `block_layout` never returns a zero-size layout. `alloc` reports failure as null
        // (only `handle_alloc_error`, which we never call, would trap).
        Some(layout) => unsafe { alloc(layout) },
        None => std::ptr::null_mut(),
    }
}

/// Frees a block returned by [`wsm_alloc`] with the same `size` and `align`.
///
/// A null `ptr` or a zero `size` does nothing, as does a request `wsm_alloc` would have refused.
///
/// # Safety
/// `ptr` must have come from `wsm_alloc(size, align)` (or a call that `block_layout` maps to the same
/// layout) and not have been freed since.
#[no_mangle]
pub unsafe extern "C" fn wsm_free(ptr: *mut u8, size: usize, align: usize) {
    if ptr.is_null() || size == 0 {
        return;
    }
    if let Some(layout) = block_layout(size, align) {
        // SAFETY: the caller guarantees `ptr` was allocated with this same layout.
        unsafe { dealloc(ptr, layout) }
    }
}

/// Returns [`ABI_VERSION`], so a host can refuse a module it does not understand.
#[no_mangle]
pub extern "C" fn wsm_abi_version() -> u32 {
    ABI_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_aligns_every_block_to_at_least_16() {
        for &align in &[1usize, 2, 4, 8, 16] {
            for size in [1usize, 3, 4, 15, 16, 17, 1023, 1024] {
                let p = wsm_alloc(size, align);
                assert!(!p.is_null());
                assert_eq!(p as usize % MIN_ALIGN, 0, "size {size} align {align}");
                unsafe { wsm_free(p, size, align) };
            }
        }
    }

    #[test]
    fn alloc_honours_alignment_above_the_minimum() {
        for &align in &[32usize, 64, 128, 4096] {
            let p = wsm_alloc(100, align);
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0);
            unsafe { wsm_free(p, 100, align) };
        }
    }

    #[test]
    fn large_blocks_get_the_large_alignment() {
        for size in [LARGE_BLOCK_BYTES, LARGE_BLOCK_BYTES + 4, 4 * LARGE_BLOCK_BYTES] {
            let p = wsm_alloc(size, 4);
            assert!(!p.is_null());
            assert_eq!(p as usize % LARGE_BLOCK_ALIGN, 0, "size {size}");
            unsafe { wsm_free(p, size, 4) };
        }
    }

    #[test]
    fn sizes_in_one_granule_agree_on_the_large_alignment() {
        // 65_521..=65_536 round to the same 65_536-byte block, so each must get the same layout.
        let expected = block_layout(LARGE_BLOCK_BYTES, 1).unwrap();
        assert_eq!(expected.align(), LARGE_BLOCK_ALIGN);
        for size in LARGE_BLOCK_BYTES - MIN_ALIGN + 1..=LARGE_BLOCK_BYTES {
            assert_eq!(block_layout(size, 1), Some(expected), "size {size}");
            assert_eq!(block_layout(size, 4), Some(expected), "size {size}");
        }
        assert_eq!(block_layout(LARGE_BLOCK_BYTES - MIN_ALIGN, 1).unwrap().align(), MIN_ALIGN);
    }

    #[test]
    fn blocks_are_writable_over_their_whole_size() {
        let size = 1000;
        let p = wsm_alloc(size, 1);
        unsafe {
            std::ptr::write_bytes(p, 0xAB, size);
            assert_eq!(*p.add(size - 1), 0xAB);
            wsm_free(p, size, 1);
        }
    }

    #[test]
    fn zero_size_returns_aligned_non_null_that_frees_as_no_op() {
        let p = wsm_alloc(0, 4);
        assert!(!p.is_null());
        assert_eq!(p as usize % MIN_ALIGN, 0);
        unsafe { wsm_free(p, 0, 4) };
        assert_eq!(wsm_alloc(0, 64) as usize, 64);
    }

    #[test]
    fn invalid_alignment_returns_null() {
        assert!(wsm_alloc(16, 0).is_null());
        assert!(wsm_alloc(16, 3).is_null());
        assert!(wsm_alloc(0, 12).is_null());
    }

    #[test]
    fn overflowing_size_returns_null_without_trapping() {
        assert!(wsm_alloc(usize::MAX, 16).is_null());
        assert!(wsm_alloc(usize::MAX - 14, 1).is_null());
        assert!(wsm_alloc(isize::MAX as usize, 16).is_null());
    }

    #[test]
    fn exhausted_memory_returns_null_without_trapping() {
        // A valid layout that no allocator on a test machine can satisfy.
        assert!(wsm_alloc(isize::MAX as usize / 2, 16).is_null());
    }

    #[test]
    fn free_of_null_or_zero_size_does_nothing() {
        unsafe {
            wsm_free(std::ptr::null_mut(), 64, 16);
            wsm_free(64 as *mut u8, 0, 16);
        }
    }

    #[test]
    fn sizes_in_one_granule_and_small_alignments_share_a_layout() {
        assert_eq!(block_layout(61, 1), block_layout(64, 4));
        assert_eq!(block_layout(64, 1), block_layout(64, 16));
        assert_ne!(block_layout(64, 1), block_layout(80, 1));
    }
}
