// Every kernel of the four committed modules (scalar and SIMD, each also built for one shared memory) against a
// JavaScript reference, over 64-byte-aligned blocks (the SIMD builds' eight-vectors-per-step path) and blocks
// offset by one element, fresh and in place; and the dot products of the builds against each other, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const variants = ['scalar', 'simd', 'shared.scalar', 'shared.simd'];

// The one definition of the ABI version (rust/src/abi.rs), read as the .NET build reads it.
const abiSource = await readFile(new URL('../src/abi.rs', import.meta.url), 'utf8');
const abiVersion = Number(/pub const ABI_VERSION: u32 = (\d+);/.exec(abiSource)[1]);

// A shared build imports its memory (17 pages, shared, up to 4 GiB) instead of exporting it.
async function instantiate(variant) {
  const url = new URL(`../../src/WasmSharedMemory/Modules/wasm_shared_memory.${variant}.wasm`, import.meta.url);
  const memory = variant.startsWith('shared.') ? new WebAssembly.Memory({ initial: 17, maximum: 65536, shared: true }) : undefined;
  const { instance } = await WebAssembly.instantiate(await readFile(url), memory ? { env: { memory } } : {});
  return memory ? { ...instance.exports, memory } : instance.exports;
}

const f32 = Math.fround;
const elementwise = [
  { name: 'multiply_f32', View: Float32Array, op: (x, y) => f32(x * y) },
  { name: 'multiply_f64', View: Float64Array, op: (x, y) => x * y },
  { name: 'multiply_i32', View: Int32Array, op: Math.imul },
  // One rounding to double, then to float, is exact for a sum of two floats (53 >= 2 * 24 + 2).
  { name: 'add_f32', View: Float32Array, op: (x, y) => f32(x + y) },
  { name: 'add_f64', View: Float64Array, op: (x, y) => x + y },
  { name: 'add_i32', View: Int32Array, op: (x, y) => (x + y) | 0 },
];

// The order rust/src/kernels.rs defines, written out plainly: chunks of 4096, `lanes` accumulators per chunk
// taking element p at p mod lanes, combined by halving, chunk sums added left to right from +0.
const DOT_CHUNK = 4096;
function referenceChunk(a, b, start, end, accumulators, round) {
  const acc = new Array(accumulators).fill(0);
  for (let p = 0; p < end - start; p++) {
    acc[p % accumulators] = round(acc[p % accumulators] + round(a[start + p] * b[start + p]));
  }
  for (let k = accumulators / 2; k >= 1; k /= 2) {
    for (let j = 0; j < k; j++) acc[j] = round(acc[j] + acc[j + k]);
  }
  return acc[0];
}
function referenceChunks(a, b, accumulators, round) {
  const sums = [];
  for (let start = 0; start < a.length; start += DOT_CHUNK) {
    sums.push(referenceChunk(a, b, start, Math.min(start + DOT_CHUNK, a.length), accumulators, round));
  }
  return sums;
}
const sumLeftToRight = (sums, round) => sums.reduce((r, s) => round(r + s), 0);

// dst[i] = a[i] * k: a product of two floats is exact in a double, so one fround gives the f32 product.
const scales = [
  { name: 'scale_f32', View: Float32Array, op: (x, k) => f32(x * k), factors: [1.5, f32(-0.1), f32(3e-5), 1, -1, 0, -0, Infinity] },
  { name: 'scale_f64', View: Float64Array, op: (x, k) => x * k, factors: [1.5, -0.1, 3e-5, 1, -1, 0, -0, Infinity] },
];

const dots = [
  { name: 'dot_f32', chunks: 'dot_f32_chunks', View: Float32Array, accumulators: 16, round: f32 },
  { name: 'dot_f64', chunks: 'dot_f64_chunks', View: Float64Array, accumulators: 8, round: (x) => x },
];

const elementwiseLengths = [0, 1, 3, 4, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 1023, 1024, 4095, 4096, 4097, 10000];
const dotLengths = [0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1023, 1024, 4095, 4096, 4097, 8191, 8192, 8193,
  10000, 3 * DOT_CHUNK + 15];

// Deterministic values (xorshift32) so a failure reproduces; floats in [-1000, 1000] with fractions, so the
// order of a sum shows in its low bits.
function fill(view, seed) {
  let s = seed | 1;
  for (let i = 0; i < view.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    view[i] = view instanceof Int32Array ? s : ((s >>> 0) % 2000001) / 1000 - 1000;
  }
}

// Blocks of 64 KiB and more start on a cache line; `offset` elements in, they do not.
const LARGE = 65536;
function allocate(exports, View, n, offset) {
  const size = Math.max(LARGE, (n + offset + 1) * View.BYTES_PER_ELEMENT);
  const base = exports.wsm_alloc(size, View.BYTES_PER_ELEMENT) >>> 0;
  assert.notEqual(base, 0);
  assert.equal(base % 64, 0);
  return {
    ptr: base + offset * View.BYTES_PER_ELEMENT,
    view: (length = n) => new View(exports.memory.buffer, base + offset * View.BYTES_PER_ELEMENT, length),
    free: () => exports.wsm_free(base, size, View.BYTES_PER_ELEMENT),
  };
}

test('every module exports every kernel with its arity and the ABI version of rust/src/abi.rs', async () => {
  assert.ok(abiVersion >= 1, `ABI_VERSION read from rust/src/abi.rs: ${abiVersion}`);
  for (const variant of variants) {
    const exports = await instantiate(variant);
    assert.equal(exports.wsm_abi_version(), abiVersion, variant);
    for (const { name } of [...elementwise, ...scales]) assert.equal(exports[name]?.length, 4, `${variant} ${name}`);
    for (const { name, chunks } of dots) {
      assert.equal(exports[name]?.length, 3, `${variant} ${name}`);
      assert.equal(exports[chunks]?.length, 4, `${variant} ${chunks}`);
    }
  }
});

for (const variant of variants) {
  for (const { name, View, op } of elementwise) {
    test(`${variant}: ${name} matches JavaScript, aligned and not, fresh and in place`, async () => {
      const exports = await instantiate(variant);
      for (const n of elementwiseLengths) {
        for (const offset of [0, 1]) {
          for (const place of ['fresh', 'left', 'right', 'all']) {
            const [a, b, d] = [0, 1, 2].map(() => allocate(exports, View, n, offset));
            fill(a.view(), n * 4 + 1);
            fill(b.view(), n * 4 + 2);
            const sentinel = View === Int32Array ? 0x5a5a5a5a : 12345.5;
            for (const block of [a, b, d]) block.view(n + 1)[n] = sentinel;
            const x = Array.from(a.view()), y = place === 'all' ? x : Array.from(b.view());
            const expected = x.map((v, i) => op(v, y[i]));
            const dst = { fresh: d, left: a, right: b, all: a }[place];
            const src = place === 'all' ? [a, a] : [a, b];
            exports[name](n, dst.ptr, src[0].ptr, src[1].ptr);
            const got = dst.view(n + 1);
            for (let i = 0; i < n; i++) {
              if (!Object.is(got[i], expected[i])) {
                assert.fail(`${name} n=${n} offset=${offset} ${place} [${i}]: ${got[i]} != ${expected[i]}`);
              }
            }
            assert.equal(got[n], sentinel, `${name} n=${n} offset=${offset} ${place} wrote past the end`);
            for (const block of [a, b, d]) block.free();
          }
        }
      }
    });
  }

  for (const { name, View, op, factors } of scales) {
    test(`${variant}: ${name} matches JavaScript, aligned and not, fresh and in place`, async () => {
      const exports = await instantiate(variant);
      for (const n of elementwiseLengths) {
        for (const offset of [0, 1]) {
          for (const place of ['fresh', 'in place']) {
            for (const k of factors) {
              const [a, d] = [0, 1].map(() => allocate(exports, View, n, offset));
              fill(a.view(), n * 4 + 3);
              for (const block of [a, d]) block.view(n + 1)[n] = 12345.5;
              const x = Array.from(a.view());
              const expected = x.map((v) => op(v, k));
              const dst = place === 'fresh' ? d : a;
              exports[name](n, dst.ptr, a.ptr, k);
              const got = dst.view(n + 1);
              for (let i = 0; i < n; i++) {
                if (!Object.is(got[i], expected[i])) {
                  assert.fail(`${name} n=${n} offset=${offset} ${place} k=${k} [${i}]: ${got[i]} != ${expected[i]}`);
                }
              }
              assert.equal(got[n], 12345.5, `${name} n=${n} offset=${offset} ${place} wrote past the end`);
              for (const block of [a, d]) block.free();
            }
          }
        }
      }
    });
  }

  for (const { name, chunks, View, accumulators, round } of dots) {
    test(`${variant}: ${name} and ${chunks} follow the documented order bit for bit`, async () => {
      const exports = await instantiate(variant);
      for (const n of dotLengths) {
        for (const offset of [0, 1]) {
          const [a, b] = [0, 1].map(() => allocate(exports, View, n, offset));
          const count = Math.ceil(n / DOT_CHUNK);
          const out = allocate(exports, View, count, offset);
          fill(a.view(), n * 2 + 1);
          fill(b.view(), n * 2 + 2);
          out.view(count + 1)[count] = -1.5;
          const x = Array.from(a.view()), y = Array.from(b.view());
          const wantChunks = referenceChunks(x, y, accumulators, round);
          const want = sumLeftToRight(wantChunks, round);

          const got = exports[name](n, a.ptr, b.ptr);
          assert.ok(Object.is(got, want), `${name} n=${n} offset=${offset}: ${got} != ${want}`);

          exports[chunks](n, a.ptr, b.ptr, out.ptr);
          const gotChunks = Array.from(out.view(count));
          assert.deepEqual(gotChunks, wantChunks, `${chunks} n=${n} offset=${offset}`);
          assert.equal(out.view(count + 1)[count], -1.5, `${chunks} n=${n} wrote past the last chunk`);
          assert.ok(Object.is(sumLeftToRight(gotChunks, round), got), `${chunks} n=${n} summed != ${name}`);
          for (const block of [a, b, out]) block.free();
        }
      }
    });
  }
}

test('every build returns bit-identical dot products', async () => {
  const builds = await Promise.all(variants.map(instantiate));
  for (const { name, View } of dots) {
    for (const n of dotLengths) {
      const results = builds.map((exports) => {
        const [a, b] = [0, 1].map(() => allocate(exports, View, n, 1));
        fill(a.view(), n + 3);
        fill(b.view(), n + 5);
        const r = exports[name](n, a.ptr, b.ptr);
        a.free();
        b.free();
        return r;
      });
      // Object.is tells -0 from +0; every other non-NaN number has one representation.
      const bytes = results.map((r) => Buffer.from(new View([r]).buffer).toString('hex'));
      for (let i = 1; i < variants.length; i++) {
        assert.ok(Object.is(results[i], results[0]), `${name} n=${n}: ${variants[i]} ${results[i]} != scalar ${results[0]}`);
        assert.equal(bytes[i], bytes[0], `${name} n=${n} ${variants[i]}`);
      }
    }
  }
});
