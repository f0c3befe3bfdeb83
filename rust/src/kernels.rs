//! Element-wise kernels, `dst[i] = op(a[i], b[i])` for `i < n`, kernels of one block and a scalar,
//! `dst[i] = op(a[i], k)`, and dot-product reductions, one macro line each.
//!
//! `dst` may be the very block `a` or `b` points at (in place), so the kernels work on raw pointers and
//! never form a `&mut [T]` that overlaps a `&[T]`: that would be undefined behaviour in Rust even when
//! every element is read before it is written.
//!
//! A floating-point sum depends on the order of its additions, so the dot products fix one order that the
//! scalar and SIMD builds both follow (their results are bit-identical) and that a host can split across
//! threads at chunk boundaries without changing a bit. Hosts may copy this definition:
//!
//! ```text
//! Dot product order (dot_f32, dot_f64; L = 16 for f32, L = 8 for f64; DOT_CHUNK = 4096):
//!   - Split a and b into chunks of DOT_CHUNK elements; the last chunk may be shorter.
//!   - Within a chunk, L accumulators start at +0.0. In increasing position p within the chunk,
//!     accumulator p mod L += a[p] * b[p], in the element type: the product rounded, then the sum
//!     rounded (no fused multiply-add).
//!   - Combine the accumulators by halving: for k = L/2, L/4, ..., 1: acc[j] = acc[j] + acc[j + k]
//!     for every j < k. acc[0] is the chunk sum.
//!   - r = +0.0; for each chunk in order: r = r + chunk sum. The result is r (+0.0 when n == 0).
//! dot_*_chunks writes each chunk sum, in order, so a host that hands whole chunks to threads and adds
//! the sums left to right from +0.0 gets the same bits as dot_*.
//! ```
//!
//! Bit-identical holds for every result that is not a NaN: which NaN comes out of a NaN operand is left
//! to the engine by the WebAssembly specification.

/// Defines one `#[no_mangle]` kernel `$name(n, dst, a, b)` applying `$op` (the `v128` intrinsic `$simd_op`
/// with `simd128`) element-wise: a `v128` loop when built with `simd128`, a scalar loop otherwise, and the
/// same scalar loop for the tail that does not fill a vector. With `simd128`, operands that all start on a
/// 64-byte boundary take an eight-vectors-per-step loop instead (`aligned`).
macro_rules! elementwise_kernel {
    ($name:ident, $t:ty, $lanes:expr, $simd_op:ident, $op:expr) => {
        #[doc = concat!("`dst[i] = op(a[i], b[i])` for `i < n` over `", stringify!($t), "`, where `op` is `",
            stringify!($op), "` (IEEE-754 arithmetic is exactly rounded; integers wrap).")]
        ///
        /// # Safety
        /// `dst`, `a` and `b` must each point at `n` readable elements (`dst` writable); `dst` may equal
        /// `a` or `b`. With `n == 0` the pointers are not read.
        #[no_mangle]
        pub unsafe extern "C" fn $name(n: usize, dst: *mut $t, a: *const $t, b: *const $t) {
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            if n >= 8 * $lanes && (a as usize | b as usize | dst as usize) % 64 == 0 {
                // SAFETY: the caller's contract, passed on.
                return unsafe { aligned(n, dst, a, b) };
            }
            let op: fn($t, $t) -> $t = $op;
            #[allow(unused_mut)]
            let mut i = 0usize;
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            {
                use core::arch::wasm32::{v128, v128_load, v128_store, $simd_op};
                while n - i >= $lanes {
                    // SAFETY: i + lanes <= n, so the vector lies inside each block; v128 loads and
                    // stores accept any alignment. Both loads happen before the store, so in place is fine.
                    unsafe {
                        let x = v128_load(a.add(i) as *const v128);
                        let y = v128_load(b.add(i) as *const v128);
                        v128_store(dst.add(i) as *mut v128, $simd_op(x, y));
                    }
                    i += $lanes;
                }
            }
            while i < n {
                // SAFETY: i < n, and the caller guarantees n elements behind each pointer.
                unsafe { dst.add(i).write(op(a.add(i).read(), b.add(i).read())) };
                i += 1;
            }

            /// The same operation over blocks that all start on a 64-byte boundary (the allocator aligns
            /// large blocks so), eight vectors per step in two 64-byte groups. Masking each group's address,
            /// already a multiple of 64, with `!63` shows LLVM that `| 16`, `| 32` and `| 48` cannot carry,
            /// so it emits them as the loads' and stores' constant offsets, and Cranelift computes one
            /// address per stream and group instead of one per access; all sixteen loads are issued before
            /// the eight stores, which keeps more loads in flight where the data comes from L3
            /// (docs/benchmarks.md, kernel shape). Kept out of line so the loop above keeps the shape LLVM
            /// gives it on its own, which is the faster one for small blocks; for the same reason this function
            /// repeats that loop's vector and scalar tails rather than handing the rest back to it.
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            #[inline(never)]
            unsafe fn aligned(n: usize, dst: *mut $t, a: *const $t, b: *const $t) {
                use core::arch::wasm32::{v128, v128_load, v128_store, $simd_op};
                let op: fn($t, $t) -> $t = $op;
                let (a0, b0, d0) = (a as usize, b as usize, dst as usize);
                let mut i = 0usize;
                while n - i >= 8 * $lanes {
                    let offset = i * core::mem::size_of::<$t>();
                    let (x, y, d) = ((a0 + offset) & !63, (b0 + offset) & !63, (d0 + offset) & !63);
                    let (xx, yy, dd) = ((a0 + offset + 64) & !63, (b0 + offset + 64) & !63, (d0 + offset + 64) & !63);
                    // SAFETY: i + 8 * lanes <= n, so the eight vectors (128 bytes from each address, which
                    // the masks leave unchanged) lie inside each block. Every vector of the step is loaded
                    // before any is stored, and none is read again, so in place is fine.
                    unsafe {
                        let p0 = $simd_op(v128_load(x as *const v128), v128_load(y as *const v128));
                        let p1 = $simd_op(v128_load((x | 16) as *const v128), v128_load((y | 16) as *const v128));
                        let p2 = $simd_op(v128_load((x | 32) as *const v128), v128_load((y | 32) as *const v128));
                        let p3 = $simd_op(v128_load((x | 48) as *const v128), v128_load((y | 48) as *const v128));
                        let p4 = $simd_op(v128_load(xx as *const v128), v128_load(yy as *const v128));
                        let p5 = $simd_op(v128_load((xx | 16) as *const v128), v128_load((yy | 16) as *const v128));
                        let p6 = $simd_op(v128_load((xx | 32) as *const v128), v128_load((yy | 32) as *const v128));
                        let p7 = $simd_op(v128_load((xx | 48) as *const v128), v128_load((yy | 48) as *const v128));
                        v128_store(d as *mut v128, p0);
                        v128_store((d | 16) as *mut v128, p1);
                        v128_store((d | 32) as *mut v128, p2);
                        v128_store((d | 48) as *mut v128, p3);
                        v128_store(dd as *mut v128, p4);
                        v128_store((dd | 16) as *mut v128, p5);
                        v128_store((dd | 32) as *mut v128, p6);
                        v128_store((dd | 48) as *mut v128, p7);
                    }
                    i += 8 * $lanes;
                }
                while n - i >= $lanes {
                    // SAFETY: i + lanes <= n; both loads happen before the store.
                    unsafe {
                        let x = v128_load(a.add(i) as *const v128);
                        let y = v128_load(b.add(i) as *const v128);
                        v128_store(dst.add(i) as *mut v128, $simd_op(x, y));
                    }
                    i += $lanes;
                }
                while i < n {
                    // SAFETY: i < n, and the caller guarantees n elements behind each pointer.
                    unsafe { dst.add(i).write(op(a.add(i).read(), b.add(i).read())) };
                    i += 1;
                }
            }
        }
    };
}

elementwise_kernel!(multiply_f32, f32, 4, f32x4_mul, |x, y| x * y);
elementwise_kernel!(multiply_f64, f64, 2, f64x2_mul, |x, y| x * y);
elementwise_kernel!(multiply_i32, i32, 4, i32x4_mul, |x: i32, y: i32| x.wrapping_mul(y));
elementwise_kernel!(add_f32, f32, 4, f32x4_add, |x, y| x + y);
elementwise_kernel!(add_f64, f64, 2, f64x2_add, |x, y| x + y);
elementwise_kernel!(add_i32, i32, 4, i32x4_add, |x: i32, y: i32| x.wrapping_add(y));

/// Defines one `#[no_mangle]` kernel `$name(n, dst, a, k)` applying `$op` to each element of `a` and the one
/// scalar `k`, `dst[i] = op(a[i], k)`: the loop of [`elementwise_kernel!`] with `k` splatted into a vector
/// (`$splat`) in place of the second block, including the eight-vectors-per-step path for 64-byte-aligned
/// blocks. `dst` may be `a` (in place).
macro_rules! scalar_kernel {
    ($name:ident, $t:ty, $lanes:expr, $simd_op:ident, $splat:ident, $op:expr) => {
        #[doc = concat!("`dst[i] = op(a[i], k)` for `i < n` over `", stringify!($t), "`, where `op` is `",
            stringify!($op), "` (IEEE-754 arithmetic is exactly rounded).")]
        ///
        /// # Safety
        /// `dst` and `a` must each point at `n` elements (`a` readable, `dst` writable); `dst` may equal `a`.
        /// With `n == 0` the pointers are not read.
        #[no_mangle]
        pub unsafe extern "C" fn $name(n: usize, dst: *mut $t, a: *const $t, k: $t) {
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            if n >= 8 * $lanes && (a as usize | dst as usize) % 64 == 0 {
                // SAFETY: the caller's contract, passed on.
                return unsafe { aligned(n, dst, a, k) };
            }
            let op: fn($t, $t) -> $t = $op;
            #[allow(unused_mut)]
            let mut i = 0usize;
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            {
                use core::arch::wasm32::{v128, v128_load, v128_store, $simd_op, $splat};
                let y = $splat(k);
                while n - i >= $lanes {
                    // SAFETY: i + lanes <= n, so the vector lies inside both blocks; the load happens
                    // before the store, so in place is fine.
                    unsafe {
                        let x = v128_load(a.add(i) as *const v128);
                        v128_store(dst.add(i) as *mut v128, $simd_op(x, y));
                    }
                    i += $lanes;
                }
            }
            while i < n {
                // SAFETY: i < n, and the caller guarantees n elements behind each pointer.
                unsafe { dst.add(i).write(op(a.add(i).read(), k)) };
                i += 1;
            }

            /// The same operation over blocks that both start on a 64-byte boundary, eight vectors per step
            /// in two 64-byte groups, shaped as `elementwise_kernel!`'s `aligned` (which says why).
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            #[inline(never)]
            unsafe fn aligned(n: usize, dst: *mut $t, a: *const $t, k: $t) {
                use core::arch::wasm32::{v128, v128_load, v128_store, $simd_op, $splat};
                let op: fn($t, $t) -> $t = $op;
                let y = $splat(k);
                let (a0, d0) = (a as usize, dst as usize);
                let mut i = 0usize;
                while n - i >= 8 * $lanes {
                    let offset = i * core::mem::size_of::<$t>();
                    let (x, d) = ((a0 + offset) & !63, (d0 + offset) & !63);
                    let (xx, dd) = ((a0 + offset + 64) & !63, (d0 + offset + 64) & !63);
                    // SAFETY: i + 8 * lanes <= n, so the eight vectors lie inside both blocks. Every vector
                    // of the step is loaded before any is stored, and none is read again: in place is fine.
                    unsafe {
                        let p0 = $simd_op(v128_load(x as *const v128), y);
                        let p1 = $simd_op(v128_load((x | 16) as *const v128), y);
                        let p2 = $simd_op(v128_load((x | 32) as *const v128), y);
                        let p3 = $simd_op(v128_load((x | 48) as *const v128), y);
                        let p4 = $simd_op(v128_load(xx as *const v128), y);
                        let p5 = $simd_op(v128_load((xx | 16) as *const v128), y);
                        let p6 = $simd_op(v128_load((xx | 32) as *const v128), y);
                        let p7 = $simd_op(v128_load((xx | 48) as *const v128), y);
                        v128_store(d as *mut v128, p0);
                        v128_store((d | 16) as *mut v128, p1);
                        v128_store((d | 32) as *mut v128, p2);
                        v128_store((d | 48) as *mut v128, p3);
                        v128_store(dd as *mut v128, p4);
                        v128_store((dd | 16) as *mut v128, p5);
                        v128_store((dd | 32) as *mut v128, p6);
                        v128_store((dd | 48) as *mut v128, p7);
                    }
                    i += 8 * $lanes;
                }
                while n - i >= $lanes {
                    // SAFETY: i + lanes <= n; the load happens before the store.
                    unsafe {
                        let x = v128_load(a.add(i) as *const v128);
                        v128_store(dst.add(i) as *mut v128, $simd_op(x, y));
                    }
                    i += $lanes;
                }
                while i < n {
                    // SAFETY: i < n, and the caller guarantees n elements behind each pointer.
                    unsafe { dst.add(i).write(op(a.add(i).read(), k)) };
                    i += 1;
                }
            }
        }
    };
}

scalar_kernel!(scale_f32, f32, 4, f32x4_mul, f32x4_splat, |x, k| x * k);
scalar_kernel!(scale_f64, f64, 2, f64x2_mul, f64x2_splat, |x, k| x * k);

/// Elements per chunk of a dot product (see the module docs for the summation order).
pub const DOT_CHUNK: usize = 4096;

/// Defines the reduction `$name(n, a, b) -> T` and `$chunks(n, a, b, out)` over the private `$chunk`, which
/// sums one chunk in the documented order: `4 * $lanes` accumulators, held as four `v128` vectors with
/// `simd128` (`$simd_mul` then `$simd_add`; lane `j` of vector `k` is accumulator `k * $lanes + j`) and as
/// an array otherwise.
macro_rules! dot_kernel {
    ($name:ident, $chunks:ident, $chunk:ident, $t:ty, $lanes:expr, $simd_add:ident, $simd_mul:ident) => {
        /// The sum of one chunk of `len <= DOT_CHUNK` elements. Out of line so both exports share one copy;
        /// one call per chunk is negligible next to the chunk's 4096 multiply-adds.
        #[inline(never)]
        unsafe fn $chunk(len: usize, a: *const $t, b: *const $t) -> $t {
            const L: usize = 4 * $lanes;
            let mut acc: [$t; L] = [0.0; L];
            #[allow(unused_mut)]
            let mut p = 0usize;
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            {
                use core::arch::wasm32::{i64x2_splat, v128, v128_load, v128_store, $simd_add, $simd_mul};
                // All-zero bits: +0.0 in every lane.
                let zero = i64x2_splat(0);
                let (mut s0, mut s1, mut s2, mut s3) = (zero, zero, zero, zero);
                while len - p >= L {
                    // SAFETY: p + L <= len, so the four vectors lie inside each block; v128 loads accept
                    // any alignment.
                    unsafe {
                        let (x, y) = (a.add(p) as *const v128, b.add(p) as *const v128);
                        s0 = $simd_add(s0, $simd_mul(v128_load(x), v128_load(y)));
                        s1 = $simd_add(s1, $simd_mul(v128_load(x.add(1)), v128_load(y.add(1))));
                        s2 = $simd_add(s2, $simd_mul(v128_load(x.add(2)), v128_load(y.add(2))));
                        s3 = $simd_add(s3, $simd_mul(v128_load(x.add(3)), v128_load(y.add(3))));
                    }
                    p += L;
                }
                let out = acc.as_mut_ptr() as *mut v128;
                // SAFETY: `acc` holds exactly four vectors; v128 stores accept any alignment.
                unsafe {
                    v128_store(out, s0);
                    v128_store(out.add(1), s1);
                    v128_store(out.add(2), s2);
                    v128_store(out.add(3), s3);
                }
            }
            #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
            while len - p >= L {
                for j in 0..L {
                    // SAFETY: p + j < len.
                    acc[j] = acc[j] + unsafe { a.add(p + j).read() * b.add(p + j).read() };
                }
                p += L;
            }
            // Fewer than L elements remain and p is a multiple of L, so element p + j goes to accumulator j.
            // Rust never fuses `*` and `+` into one rounding, here or above.
            for j in 0..L - 1 {
                if p + j < len {
                    // SAFETY: p + j < len.
                    acc[j] = acc[j] + unsafe { a.add(p + j).read() * b.add(p + j).read() };
                }
            }
            let mut k = L / 2;
            while k > 0 {
                for j in 0..k {
                    acc[j] = acc[j] + acc[j + k];
                }
                k /= 2;
            }
            acc[0]
        }

        #[doc = concat!("The dot product `sum(a[i] * b[i])` of two `", stringify!($t), "` blocks of `n` elements, ",
            "in the order the module docs define; +0.0 when `n == 0`.")]
        ///
        /// # Safety
        /// `a` and `b` must each point at `n` readable elements. With `n == 0` the pointers are not read.
        #[no_mangle]
        pub unsafe extern "C" fn $name(n: usize, a: *const $t, b: *const $t) -> $t {
            let mut r: $t = 0.0;
            let mut i = 0usize;
            while i < n {
                let len = DOT_CHUNK.min(n - i);
                // SAFETY: i + len <= n.
                r = r + unsafe { $chunk(len, a.add(i), b.add(i)) };
                i += len;
            }
            r
        }

        #[doc = concat!("Writes the sum of each chunk of `DOT_CHUNK` elements of the `", stringify!($t),
            "` dot product to `out`, in order; adding them left to right from +0.0 gives [`",
            stringify!($name), "`].")]
        ///
        /// # Safety
        /// `a` and `b` must each point at `n` readable elements and `out` at `ceil(n / DOT_CHUNK)` writable
        /// ones that overlap neither. With `n == 0` the pointers are not touched.
        #[no_mangle]
        pub unsafe extern "C" fn $chunks(n: usize, a: *const $t, b: *const $t, out: *mut $t) {
            let mut i = 0usize;
            while i < n {
                let len = DOT_CHUNK.min(n - i);
                // SAFETY: i + len <= n, and chunk i / DOT_CHUNK < ceil(n / DOT_CHUNK).
                unsafe { out.add(i / DOT_CHUNK).write($chunk(len, a.add(i), b.add(i))) };
                i += len;
            }
        }
    };
}

dot_kernel!(dot_f32, dot_f32_chunks, dot_f32_chunk, f32, 4, f32x4_add, f32x4_mul);
dot_kernel!(dot_f64, dot_f64_chunks, dot_f64_chunk, f64, 2, f64x2_add, f64x2_mul);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Deterministic pseudo-random values (xorshift), so failures reproduce.
    pub(crate) struct Rng(u64);

    impl Rng {
        pub(crate) fn new(seed: u64) -> Self {
            Rng(seed | 1)
        }
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub(crate) fn f32(&mut self) -> f32 {
            (self.next() % 2_000_001) as f32 / 1000.0 - 1000.0
        }
        fn f64(&mut self) -> f64 {
            (self.next() % 2_000_000_001) as f64 / 1.0e6 - 1000.0
        }
        fn i32(&mut self) -> i32 {
            self.next() as i32
        }
    }

    const IN_PLACE_LENGTHS: &[usize] =
        &[0, 1, 3, 4, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 1023, 1024, 4095, 4096, 4097, 10000];

    macro_rules! kernel_tests {
        ($module:ident, $t:ty, $kernel:ident, $gen:ident, $expect:expr, $bits:expr) => {
            mod $module {
                use super::*;

                fn inputs(n: usize) -> (Vec<$t>, Vec<$t>) {
                    let mut rng = Rng::new(n as u64 + 7);
                    ((0..n).map(|_| rng.$gen()).collect(), (0..n).map(|_| rng.$gen()).collect())
                }

                fn expected(a: &[$t], b: &[$t]) -> Vec<$t> {
                    let f: fn($t, $t) -> $t = $expect;
                    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
                }

                fn assert_bits(actual: &[$t], expected: &[$t], n: usize) {
                    let bits: fn($t) -> u64 = $bits;
                    for i in 0..n {
                        assert_eq!(bits(actual[i]), bits(expected[i]), "n {n} index {i}");
                    }
                }

                #[test]
                fn matches_a_plain_loop_for_every_length_up_to_1025_and_around_4096() {
                    for n in (0..=1025).chain([4095, 4096, 4097, 10000]) {
                        let (a, b) = inputs(n);
                        let mut dst = vec![<$t>::default(); n + 1];
                        let sentinel = dst[n];
                        unsafe { $kernel(n, dst.as_mut_ptr(), a.as_ptr(), b.as_ptr()) };
                        assert_bits(&dst, &expected(&a, &b), n);
                        assert_eq!(bits_of(dst[n]), bits_of(sentinel), "n {n} wrote past the end");
                    }
                }

                #[test]
                fn writes_in_place_over_either_input_or_both() {
                    for &n in IN_PLACE_LENGTHS {
                        let (a, b) = inputs(n);
                        let want = expected(&a, &b);

                        let mut left = a.clone();
                        let p = left.as_mut_ptr();
                        unsafe { $kernel(n, p, p, b.as_ptr()) };
                        assert_bits(&left, &want, n);

                        let mut right = b.clone();
                        let p = right.as_mut_ptr();
                        unsafe { $kernel(n, p, a.as_ptr(), p) };
                        assert_bits(&right, &want, n);

                        let mut all = a.clone();
                        let want = expected(&a, &a);
                        let p = all.as_mut_ptr();
                        unsafe { $kernel(n, p, p, p) };
                        assert_bits(&all, &want, n);
                    }
                }

                #[test]
                fn zero_length_does_not_touch_the_pointers() {
                    unsafe { $kernel(0, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
                }

                fn bits_of(v: $t) -> u64 {
                    let bits: fn($t) -> u64 = $bits;
                    bits(v)
                }
            }
        };
    }

    kernel_tests!(multiply_f32_kernel, f32, multiply_f32, f32, |x, y| x * y, |v| v.to_bits() as u64);
    kernel_tests!(multiply_f64_kernel, f64, multiply_f64, f64, |x, y| x * y, |v| v.to_bits());
    kernel_tests!(multiply_i32_kernel, i32, multiply_i32, i32, |x: i32, y: i32| x.wrapping_mul(y), |v| v as u32 as u64);
    kernel_tests!(add_f32_kernel, f32, add_f32, f32, |x, y| x + y, |v| v.to_bits() as u64);
    kernel_tests!(add_f64_kernel, f64, add_f64, f64, |x, y| x + y, |v| v.to_bits());
    kernel_tests!(add_i32_kernel, i32, add_i32, i32, |x: i32, y: i32| x.wrapping_add(y), |v| v as u32 as u64);

    macro_rules! scalar_kernel_tests {
        ($module:ident, $t:ty, $kernel:ident, $gen:ident, $expect:expr) => {
            mod $module {
                use super::*;

                fn input(n: usize) -> Vec<$t> {
                    let mut rng = Rng::new(n as u64 + 13);
                    (0..n).map(|_| rng.$gen()).collect()
                }

                /// Factors that round differently, the identities, a zero of each sign and a non-finite one.
                const FACTORS: &[$t] = &[1.5, -0.1, 3.0e-5, 1.0, -1.0, 0.0, -0.0, <$t>::INFINITY];

                fn expected(a: &[$t], k: $t) -> Vec<$t> {
                    let f: fn($t, $t) -> $t = $expect;
                    a.iter().map(|&x| f(x, k)).collect()
                }

                fn assert_bits(actual: &[$t], expected: &[$t], n: usize, k: $t) {
                    for i in 0..n {
                        assert_eq!(actual[i].to_bits(), expected[i].to_bits(), "n {n} k {k} index {i}");
                    }
                }

                #[test]
                fn matches_a_plain_loop_for_every_length_up_to_1025_and_around_4096() {
                    for n in (0..=1025).chain([4095, 4096, 4097, 10000]) {
                        let a = input(n);
                        for &k in FACTORS {
                            let mut dst = vec![<$t>::default(); n + 1];
                            dst[n] = -7.25;
                            unsafe { $kernel(n, dst.as_mut_ptr(), a.as_ptr(), k) };
                            assert_bits(&dst, &expected(&a, k), n, k);
                            assert_eq!(dst[n], -7.25, "n {n} wrote past the end");
                        }
                    }
                }

                #[test]
                fn writes_in_place_over_its_input() {
                    for &n in IN_PLACE_LENGTHS {
                        let a = input(n);
                        let mut block = a.clone();
                        let p = block.as_mut_ptr();
                        unsafe { $kernel(n, p, p, 1.5) };
                        assert_bits(&block, &expected(&a, 1.5), n, 1.5);
                    }
                }

                #[test]
                fn zero_length_does_not_touch_the_pointers() {
                    unsafe { $kernel(0, std::ptr::null_mut(), std::ptr::null(), 2.0) };
                }
            }
        };
    }

    scalar_kernel_tests!(scale_f32_kernel, f32, scale_f32, f32, |x, k| x * k);
    scalar_kernel_tests!(scale_f64_kernel, f64, scale_f64, f64, |x, k| x * k);

    #[test]
    fn i32_multiply_wraps_on_overflow() {
        let a = [i32::MAX, i32::MIN, 65536];
        let b = [2, -1, 65536];
        let mut dst = [0i32; 3];
        unsafe { multiply_i32(3, dst.as_mut_ptr(), a.as_ptr(), b.as_ptr()) };
        assert_eq!(dst, [-2, i32::MIN, 0]);
    }

    #[test]
    fn i32_add_wraps_on_overflow() {
        let a = [i32::MAX, i32::MIN, -1];
        let b = [1, -1, 1];
        let mut dst = [0i32; 3];
        unsafe { add_i32(3, dst.as_mut_ptr(), a.as_ptr(), b.as_ptr()) };
        assert_eq!(dst, [i32::MIN, i32::MAX, 0]);
    }

    /// The documented dot order, written as plainly as possible and apart from the kernels: whole-slice
    /// indexing, one chunk and one element at a time.
    fn reference_dot<T>(a: &[T], b: &[T], accumulators: usize) -> T
    where
        T: Copy + Default + std::ops::Add<Output = T> + std::ops::Mul<Output = T>,
    {
        let mut r = T::default(); // +0.0
        let mut start = 0;
        while start < a.len() {
            let end = (start + 4096).min(a.len());
            let mut acc = vec![T::default(); accumulators];
            for p in 0..end - start {
                let product = a[start + p] * b[start + p];
                acc[p % accumulators] = acc[p % accumulators] + product;
            }
            let mut k = accumulators / 2;
            while k >= 1 {
                for j in 0..k {
                    acc[j] = acc[j] + acc[j + k];
                }
                k /= 2;
            }
            r = r + acc[0];
            start = end;
        }
        r
    }

    const DOT_LENGTHS: &[usize] = &[
        0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1023, 1024, 4095, 4096, 4097, 8191, 8192,
        8193, 10000, 3 * 4096 + 15,
    ];

    macro_rules! dot_tests {
        ($module:ident, $t:ty, $dot:ident, $chunks:ident, $gen:ident, $accumulators:expr) => {
            mod $module {
                use super::*;

                fn inputs(n: usize) -> (Vec<$t>, Vec<$t>) {
                    let mut rng = Rng::new(n as u64 + 11);
                    ((0..n).map(|_| rng.$gen()).collect(), (0..n).map(|_| rng.$gen()).collect())
                }

                #[test]
                fn matches_the_reference_order_bit_for_bit() {
                    for &n in DOT_LENGTHS {
                        let (a, b) = inputs(n);
                        let got = unsafe { $dot(n, a.as_ptr(), b.as_ptr()) };
                        let want = reference_dot(&a, &b, $accumulators);
                        assert_eq!(got.to_bits(), want.to_bits(), "n {n}: {got} != {want}");
                    }
                }

                #[test]
                fn chunk_sums_added_left_to_right_give_the_dot_product() {
                    for &n in DOT_LENGTHS {
                        let (a, b) = inputs(n);
                        let count = (n + DOT_CHUNK - 1) / DOT_CHUNK;
                        let sentinel = -1.5;
                        let mut sums = vec![sentinel; count + 1];
                        unsafe { $chunks(n, a.as_ptr(), b.as_ptr(), sums.as_mut_ptr()) };
                        assert_eq!(sums[count], sentinel, "n {n} wrote past the last chunk");
                        let mut r: $t = 0.0;
                        for (c, &sum) in sums[..count].iter().enumerate() {
                            let chunk = c * DOT_CHUNK..((c + 1) * DOT_CHUNK).min(n);
                            let want = reference_dot(&a[chunk.clone()], &b[chunk], $accumulators);
                            assert_eq!(sum.to_bits(), want.to_bits(), "n {n} chunk {c}");
                            r = r + sum;
                        }
                        let dot = unsafe { $dot(n, a.as_ptr(), b.as_ptr()) };
                        assert_eq!(r.to_bits(), dot.to_bits(), "n {n}");
                    }
                }

                #[test]
                fn the_order_is_not_a_running_sum() {
                    // Guards the tests above against inputs too tame to tell orders apart: a running sum
                    // loses every 1 to the large first term, the accumulators keep them.
                    let big: $t = (1u64 << (<$t>::MANTISSA_DIGITS)) as $t;
                    let mut a = vec![1.0 as $t; $accumulators + 1];
                    a[0] = big;
                    a[$accumulators] = -big;
                    let b = vec![1.0 as $t; a.len()];
                    let running = a.iter().fold(0.0 as $t, |r, &x| r + x);
                    assert_eq!(running, 0.0);
                    let got = unsafe { $dot(a.len(), a.as_ptr(), b.as_ptr()) };
                    assert_eq!(got, ($accumulators - 1) as $t);
                }

                #[test]
                fn empty_and_negative_zero_products_give_positive_zero() {
                    let got = unsafe { $dot(0, std::ptr::null(), std::ptr::null()) };
                    assert_eq!(got.to_bits(), (0.0 as $t).to_bits());
                    unsafe { $chunks(0, std::ptr::null(), std::ptr::null(), std::ptr::null_mut()) };
                    let a = vec![-0.0 as $t; 37];
                    let b = vec![1.0 as $t; 37];
                    let got = unsafe { $dot(37, a.as_ptr(), b.as_ptr()) };
                    assert_eq!(got.to_bits(), (0.0 as $t).to_bits());
                }
            }
        };
    }

    dot_tests!(dot_f32_kernel, f32, dot_f32, dot_f32_chunks, f32, 16);
    dot_tests!(dot_f64_kernel, f64, dot_f64, dot_f64_chunks, f64, 8);
}
