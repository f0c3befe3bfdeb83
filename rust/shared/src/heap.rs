//! The allocator of the shared-memory build: `wsm_alloc(size, align) -> ptr`, `wsm_free(ptr, size, align)`,
//! with the same contract as the main crate's (`rust/src/allocator.rs`), written without `std` or `alloc`.
//!
//! Why its own allocator: the wasm32 `std` that Debian ships is compiled without the `atomics` feature, so it
//! cannot be linked into a `--shared-memory` module (wasm-ld refuses it), and its `dlmalloc` would keep its
//! state in a `.bss` static that needs `__wasm_init_memory`. This one keeps every byte of its state in the
//! linear memory right after `__heap_base`, where fresh memory is zero, so the module has no data segment at
//! all and nothing runs at instantiation: a second instance over live memory changes nothing.
//!
//! One allocator serves the whole memory, whichever instance is called. Calls must not overlap: the host
//! serializes them. A lock word checks that contract and traps the late caller instead of corrupting the
//! free list. Kernels never call it, so they may run while an allocation runs on another instance.
//!
//! The heap is an address-ordered list of free blocks, each starting with a [`FreeBlock`] header; blocks
//! are multiples of 16 bytes on 16-byte boundaries. Allocation is first fit with the padding before an
//! aligned block returned to the list; freeing merges with both neighbours. When nothing fits, memory grows
//! by the pages the request needs (the host bounds growth through the shared memory's maximum). Memory the
//! host grew itself is taken into the heap on the next call.

use core::sync::atomic::{AtomicU32, Ordering};

/// Every block is aligned to at least this many bytes and its size is a multiple of it.
pub const MIN_ALIGN: usize = 16;

/// Blocks of at least this many bytes (after rounding to the 16-byte granule) start on a
/// [`LARGE_BLOCK_ALIGN`] boundary, as in the main crate.
pub const LARGE_BLOCK_BYTES: usize = 64 * 1024;

/// Alignment of large blocks: a cache line, so the SIMD kernels take their aligned path.
pub const LARGE_BLOCK_ALIGN: usize = 64;

/// A WebAssembly page.
pub const PAGE: usize = 64 * 1024;

/// The allocator's state, at a fixed address in the memory it manages. All zero means "not yet used".
#[repr(C)]
pub(crate) struct State {
    /// 1 while a call runs. Checks that the host serializes calls.
    lock: AtomicU32,
    /// End of the memory the heap has taken in (0 before the first call).
    end: usize,
    /// Address of the lowest free block, 0 when none.
    head: usize,
}

/// The header at the start of every free block.
#[repr(C)]
struct FreeBlock {
    /// Address of the next free block (higher), 0 at the end of the list.
    next: usize,
    /// Size of this block in bytes, a multiple of 16.
    size: usize,
}

/// The memory a heap lives in.
pub(crate) trait Arena {
    /// Where the [`State`] lives: 16-byte aligned, zero before first use, never handed out.
    fn state(&self) -> *mut State;
    /// The first byte the heap may hand out, 64-byte aligned.
    fn start(&self) -> usize;
    /// The end of the memory now, in bytes.
    fn end(&self) -> usize;
    /// Grows the memory by `pages` pages; false when it cannot.
    fn grow(&self, pages: usize) -> bool;
}

/// The one rule that turns a requested `(size, align)` into the `(size, align)` of the block, or `None`
/// for a request the main crate's `block_layout` refuses (zero size, an alignment that is not a power of
/// two, a size that overflows when rounded, or one that is not a valid `Layout`).
pub(crate) fn block_layout(size: usize, align: usize) -> Option<(usize, usize)> {
    if size == 0 || !align.is_power_of_two() {
        return None;
    }
    let size = size.checked_add(MIN_ALIGN - 1)? & !(MIN_ALIGN - 1);
    let floor = if size >= LARGE_BLOCK_BYTES { LARGE_BLOCK_ALIGN } else { MIN_ALIGN };
    let align = align.max(floor);
    // `Layout::from_size_align`'s rule: the size rounded up to the alignment must fit in an isize.
    if size > isize::MAX as usize - (align - 1) {
        return None;
    }
    Some((size, align))
}

fn align_up(x: usize, align: usize) -> Option<usize> {
    Some(x.checked_add(align - 1)? & !(align - 1))
}

/// Runs `f` on the state with the lock held; a second caller while it is held traps.
unsafe fn locked<A: Arena, R>(arena: &A, f: impl FnOnce(*mut State) -> R) -> R {
    let state = arena.state();
    // SAFETY: `state` points at the arena's state, valid for the arena's life.
    let lock = unsafe { &(*state).lock };
    if lock.compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed).is_err() {
        overlapping_call();
    }
    let result = f(state);
    lock.store(0, Ordering::Release);
    result
}

#[cfg(all(target_arch = "wasm32", not(test)))]
fn overlapping_call() -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(not(all(target_arch = "wasm32", not(test))))]
fn overlapping_call() -> ! {
    panic!("wsm_alloc/wsm_free called while another call runs: the host must serialize them")
}

/// Takes memory the heap has not seen yet (first call, or growth by anyone) into the free list.
unsafe fn adopt<A: Arena>(arena: &A, state: *mut State) {
    // SAFETY (whole function): `state` is the arena's state and the lock is held.
    unsafe {
        if (*state).end == 0 {
            (*state).end = arena.start();
        }
        let end = arena.end();
        if end > (*state).end {
            insert(state, (*state).end, end - (*state).end);
            (*state).end = end;
        }
    }
}

/// Puts the block `[addr, addr + size)` into the address-ordered free list, merging it with the blocks
/// right before and after it.
unsafe fn insert(state: *mut State, addr: usize, size: usize) {
    // SAFETY (whole function): every address on the list is a free block inside the heap, and so is `addr`.
    unsafe {
        let mut link: *mut usize = &mut (*state).head;
        let mut prev = 0usize;
        while *link != 0 && *link < addr {
            prev = *link;
            link = &mut (*(prev as *mut FreeBlock)).next;
        }
        let mut next = *link;
        let mut size = size;
        if next != 0 && addr + size == next {
            let after = next as *mut FreeBlock;
            size += (*after).size;
            next = (*after).next;
        }
        if prev != 0 && prev + (*(prev as *mut FreeBlock)).size == addr {
            let before = prev as *mut FreeBlock;
            (*before).size += size;
            (*before).next = next;
        } else {
            (addr as *mut FreeBlock).write(FreeBlock { next, size });
            *link = addr;
        }
    }
}

/// Carves an `align`-aligned block of `size` bytes out of the first free block that holds one.
unsafe fn take_first_fit(state: *mut State, size: usize, align: usize) -> Option<usize> {
    // SAFETY (whole function): as in `insert`.
    unsafe {
        let mut link: *mut usize = &mut (*state).head;
        while *link != 0 {
            let addr = *link;
            let block = addr as *mut FreeBlock;
            let (next, block_size) = ((*block).next, (*block).size);
            let end = addr + block_size;
            let start = align_up(addr, align)?;
            if start <= end && end - start >= size {
                // `addr`, `start`, `size` and `end` are all multiples of 16, so both remainders are too.
                let tail = start + size;
                let after = if tail < end {
                    (tail as *mut FreeBlock).write(FreeBlock { next, size: end - tail });
                    tail
                } else {
                    next
                };
                if start > addr {
                    (*block).size = start - addr;
                    (*block).next = after;
                } else {
                    *link = after;
                }
                return Some(start);
            }
            link = &mut (*block).next;
        }
        None
    }
}

/// Grows memory by enough pages that a block of `size` bytes aligned to `align` fits at its end.
unsafe fn grow_for<A: Arena>(arena: &A, state: *mut State, size: usize, align: usize) -> bool {
    // SAFETY (whole function): as in `insert`.
    unsafe {
        let end = (*state).end;
        // The free block that reaches the end of the heap, if any, is extended by the growth.
        let mut from = end;
        let mut addr = (*state).head;
        while addr != 0 {
            let block = addr as *mut FreeBlock;
            if addr + (*block).size == end {
                from = addr;
            }
            addr = (*block).next;
        }
        let needed_end = match align_up(from, align).and_then(|start| start.checked_add(size)) {
            Some(e) => e,
            None => return false,
        };
        let missing = needed_end.saturating_sub(arena.end());
        let pages = missing / PAGE + usize::from(missing % PAGE != 0);
        if pages == 0 || !arena.grow(pages) {
            return false;
        }
        adopt(arena, state);
        true
    }
}

/// `wsm_alloc` over `arena`: returns the block's address, or 0 when memory cannot grow far enough or the
/// request is invalid. A zero-size request with a valid `align` returns `max(align, 16)`, which owns nothing.
///
/// # Safety
/// The arena's memory must be used only by this heap (past `start`), and calls must not overlap.
pub(crate) unsafe fn alloc<A: Arena>(arena: &A, size: usize, align: usize) -> usize {
    if size == 0 {
        return if align.is_power_of_two() { align.max(MIN_ALIGN) } else { 0 };
    }
    let (size, align) = match block_layout(size, align) {
        Some(layout) => layout,
        None => return 0,
    };
    // SAFETY: forwarded from the caller; the lock is held inside.
    unsafe {
        locked(arena, |state| {
            adopt(arena, state);
            if let Some(addr) = take_first_fit(state, size, align) {
                return addr;
            }
            if grow_for(arena, state, size, align) {
                if let Some(addr) = take_first_fit(state, size, align) {
                    return addr;
                }
            }
            0
        })
    }
}

/// `wsm_free` over `arena`. A zero `ptr`, a zero `size` or a request `alloc` would refuse does nothing.
///
/// # Safety
/// `ptr` must have come from `alloc(arena, size, align)` (or a call `block_layout` maps to the same size)
/// and not have been freed since; calls must not overlap.
pub(crate) unsafe fn free<A: Arena>(arena: &A, ptr: usize, size: usize, align: usize) {
    if ptr == 0 || size == 0 {
        return;
    }
    if let Some((size, _)) = block_layout(size, align) {
        // SAFETY: forwarded from the caller; the lock is held inside.
        unsafe { locked(arena, |state| insert(state, ptr, size)) }
    }
}

/// Free blocks as `(address, size)`, lowest first, for tests.
#[cfg(test)]
pub(crate) unsafe fn free_blocks<A: Arena>(arena: &A) -> std::vec::Vec<(usize, usize)> {
    let mut blocks = std::vec::Vec::new();
    unsafe {
        let mut addr = (*arena.state()).head;
        while addr != 0 {
            let block = addr as *const FreeBlock;
            blocks.push((addr, (*block).size));
            addr = (*block).next;
        }
    }
    blocks
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::Cell;
    use std::vec::Vec;

    /// A heap over a zeroed host buffer of at most `max_pages` pages, `pages` of them "in memory".
    pub(crate) struct TestArena {
        _buffer: Vec<u8>,
        base: usize,
        pages: Cell<usize>,
        max_pages: usize,
    }

    impl TestArena {
        pub(crate) fn new(pages: usize, max_pages: usize) -> Self {
            let buffer = vec![0u8; (max_pages + 1) * PAGE];
            let base = (buffer.as_ptr() as usize + PAGE - 1) & !(PAGE - 1);
            TestArena { _buffer: buffer, base, pages: Cell::new(pages), max_pages }
        }
    }

    impl Arena for TestArena {
        fn state(&self) -> *mut State {
            self.base as *mut State
        }
        fn start(&self) -> usize {
            self.base + 64
        }
        fn end(&self) -> usize {
            self.base + self.pages.get() * PAGE
        }
        fn grow(&self, pages: usize) -> bool {
            if self.pages.get() + pages > self.max_pages {
                return false;
            }
            self.pages.set(self.pages.get() + pages);
            true
        }
    }

    fn whole_heap(arena: &TestArena) -> Vec<(usize, usize)> {
        vec![(arena.start(), arena.end() - arena.start())]
    }

    #[test]
    fn aligns_every_block_to_at_least_16_and_large_ones_to_64() {
        let arena = TestArena::new(1, 64);
        for &align in &[1usize, 2, 4, 8, 16, 32, 64, 128, 4096] {
            for size in [1usize, 3, 15, 16, 17, 1000, LARGE_BLOCK_BYTES - 15, LARGE_BLOCK_BYTES, 3 * LARGE_BLOCK_BYTES] {
                let p = unsafe { alloc(&arena, size, align) };
                assert_ne!(p, 0);
                let floor = if size > LARGE_BLOCK_BYTES - MIN_ALIGN { LARGE_BLOCK_ALIGN } else { MIN_ALIGN };
                assert_eq!(p % align.max(floor), 0, "size {size} align {align}");
                unsafe { free(&arena, p, size, align) };
            }
        }
        assert_eq!(unsafe { free_blocks(&arena) }, whole_heap(&arena));
    }

    #[test]
    fn refuses_what_the_main_allocator_refuses() {
        let arena = TestArena::new(1, 4);
        unsafe {
            assert_eq!(alloc(&arena, 16, 0), 0);
            assert_eq!(alloc(&arena, 16, 3), 0);
            assert_eq!(alloc(&arena, 0, 12), 0);
            assert_eq!(alloc(&arena, 0, 4), 16);
            assert_eq!(alloc(&arena, 0, 64), 64);
            assert_eq!(alloc(&arena, usize::MAX, 16), 0);
            assert_eq!(alloc(&arena, isize::MAX as usize, 16), 0);
            free(&arena, 0, 64, 16);
            free(&arena, 64, 0, 16);
        }
        assert_eq!(block_layout(61, 1), block_layout(64, 4));
        assert_eq!(block_layout(64, 1), Some((64, 16)));
        assert_eq!(block_layout(LARGE_BLOCK_BYTES - 15, 1), Some((LARGE_BLOCK_BYTES, 64)));
    }

    #[test]
    fn grows_when_nothing_fits_and_returns_0_past_the_maximum() {
        let arena = TestArena::new(1, 8);
        unsafe {
            let big = alloc(&arena, 3 * PAGE, 4);
            assert_ne!(big, 0);
            assert!(big + 3 * PAGE <= arena.end());
            assert_eq!(arena.pages.get(), 4, "grows by what the request needs, extending the free tail");
            assert_eq!(alloc(&arena, 5 * PAGE, 4), 0, "8 pages cannot hold 3 + 5 pages plus the state");
            let rest = alloc(&arena, 4 * PAGE, 4);
            assert_ne!(rest, 0, "a failed growth leaves the heap usable");
            free(&arena, big, 3 * PAGE, 4);
            free(&arena, rest, 4 * PAGE, 4);
        }
        assert_eq!(unsafe { free_blocks(&arena) }, whole_heap(&arena));
    }

    #[test]
    fn takes_in_memory_the_host_grew() {
        let arena = TestArena::new(1, 8);
        unsafe {
            let a = alloc(&arena, 100, 16);
            assert!(arena.grow(2));
            let b = alloc(&arena, 2 * PAGE, 16);
            assert_ne!(b, 0);
            assert_eq!(arena.pages.get(), 3, "no growth of its own: the host's pages were enough");
            free(&arena, a, 100, 16);
            free(&arena, b, 2 * PAGE, 16);
        }
        assert_eq!(unsafe { free_blocks(&arena) }, whole_heap(&arena));
    }

    #[test]
    #[should_panic(expected = "serialize")]
    fn an_overlapping_call_traps() {
        let arena = TestArena::new(1, 1);
        unsafe {
            (*arena.state()).lock.store(1, Ordering::Relaxed);
            alloc(&arena, 16, 16);
        }
    }

    #[test]
    fn random_allocations_never_overlap_and_coalesce_back_to_one_block() {
        let arena = TestArena::new(1, 256);
        let mut rng = crate::kernels::tests::Rng::new(42);
        let mut live: Vec<(usize, usize, usize)> = Vec::new();
        for step in 0..20_000 {
            if live.is_empty() || rng.next() % 3 != 0 {
                let size = match rng.next() % 10 {
                    0 => (rng.next() % (4 * PAGE as u64)) as usize,
                    1..=3 => (rng.next() % 5000) as usize,
                    _ => (rng.next() % 200) as usize + 1,
                };
                let align = 1usize << (rng.next() % 8);
                let p = unsafe { alloc(&arena, size, align) };
                if size == 0 {
                    continue;
                }
                if p == 0 {
                    continue; // the arena's maximum; freeing below makes room again
                }
                let (rounded, align) = block_layout(size, align).unwrap();
                assert_eq!(p % align, 0, "step {step}");
                assert!(p >= arena.start() && p + rounded <= arena.end(), "step {step}");
                for &(q, qs, _) in &live {
                    let (qr, _) = block_layout(qs, 1).unwrap();
                    assert!(p + rounded <= q || q + qr <= p, "step {step}: [{p:#x}+{rounded}] overlaps [{q:#x}+{qr}]");
                }
                // Fill the block so a header written into a live block would show up below.
                unsafe { core::ptr::write_bytes(p as *mut u8, (step % 251) as u8, rounded) };
                live.push((p, size, step % 251));
            } else {
                let i = (rng.next() % live.len() as u64) as usize;
                let (p, size, fill) = live.swap_remove(i);
                let (rounded, _) = block_layout(size, 1).unwrap();
                let bytes = unsafe { core::slice::from_raw_parts(p as *const u8, rounded) };
                assert!(bytes.iter().all(|&b| b as usize == fill), "step {step}: a live block was overwritten");
                unsafe { free(&arena, p, size, 1) };
            }
        }
        for (p, size, _) in live.drain(..) {
            unsafe { free(&arena, p, size, 1) };
        }
        assert_eq!(unsafe { free_blocks(&arena) }, whole_heap(&arena));
    }
}
