//! The kernel module built for `SharedMemoryOptions.Parallelism`: one `shared` linear memory, imported as
//! `env.memory`, that several instances of this module use at once, each called from its own thread.
//!
//! It has the main crate's exports (`wsm_alloc`, `wsm_free`, `wsm_abi_version` and every kernel, with the
//! `dot_*_chunks` the host splits a dot product with; not the blog exports), the kernels compiled from the
//! same source file (`../src/kernels.rs`), and its own allocator ([`heap`]). It is `no_std` because Debian's
//! wasm32 `std` is built without the `atomics` feature, which a `--shared-memory` link requires of every
//! object. `rust/build.sh` builds it twice, with `+atomics,+bulk-memory` and with `+simd128` added, and
//! `--shared-memory --import-memory --max-memory=4294967296`, then checks what makes several instances safe:
//! the memory import is `shared`, there is no data segment and no start function (a second instantiation
//! writes nothing), and no function touches `__stack_pointer` (instances never share a shadow stack).

#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

#[path = "../../src/kernels.rs"]
mod kernels;

// Off wasm32 only the tests use it: the exports that call it are wasm-only.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod heap;

pub use kernels::{multiply_f32, multiply_f64, multiply_i32};

// The main crate's ABI version, from the same file: the exports are the same, only the memory (imported and
// shared instead of exported) differs.
#[path = "../../src/abi.rs"]
mod abi;
pub use abi::ABI_VERSION;

#[cfg(target_arch = "wasm32")]
mod exports {
    use crate::heap::{self, Arena, State, PAGE};
    use core::arch::wasm32::{memory_grow, memory_size};

    extern "C" {
        /// The end of the module's static data (and, with `--stack-first`, of its stack): wasm-ld's symbol.
        static __heap_base: u8;
    }

    /// The module's one memory, from `__heap_base` on.
    struct Memory;

    impl Arena for Memory {
        fn state(&self) -> *mut State {
            // SAFETY: only the symbol's address is taken.
            let base = unsafe { core::ptr::addr_of!(__heap_base) } as usize;
            ((base + 15) & !15) as *mut State
        }

        fn start(&self) -> usize {
            (self.state() as usize + core::mem::size_of::<State>() + 63) & !63
        }

        fn end(&self) -> usize {
            // A full 4 GiB memory would overflow a wasm32 usize; its last page is left out of the heap.
            memory_size(0).min(usize::MAX / PAGE) * PAGE
        }

        fn grow(&self, pages: usize) -> bool {
            memory_grow(0, pages) != usize::MAX
        }
    }

    /// Allocates `size` bytes aligned to `max(align, 16)` (64 for blocks of 64 KiB and more) and returns
    /// the block's address; 0 when memory cannot grow far enough or `align` is not a power of two. Calls to
    /// this and [`wsm_free`] must not overlap, whichever instance they go to: an overlapping call traps.
    #[no_mangle]
    pub extern "C" fn wsm_alloc(size: usize, align: usize) -> *mut u8 {
        // SAFETY: the heap owns the memory past `__heap_base`; the lock checks calls do not overlap.
        unsafe { heap::alloc(&Memory, size, align) as *mut u8 }
    }

    /// Frees a block returned by [`wsm_alloc`] with the same `size` and `align`.
    ///
    /// # Safety
    /// `ptr` must have come from `wsm_alloc(size, align)` and not have been freed since.
    #[no_mangle]
    pub unsafe extern "C" fn wsm_free(ptr: *mut u8, size: usize, align: usize) {
        // SAFETY: forwarded from the caller.
        unsafe { heap::free(&Memory, ptr as usize, size, align) }
    }

    /// Returns [`ABI_VERSION`](crate::ABI_VERSION).
    #[no_mangle]
    pub extern "C" fn wsm_abi_version() -> u32 {
        crate::ABI_VERSION
    }

    #[cfg(not(test))]
    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! {
        core::arch::wasm32::unreachable()
    }
}
