// Runs the blog post's JavaScript flow, unchanged in substance, against both committed modules:
// allocate three blocks of 16 f32 with wasm_alloc_f32, fill 1..16, multiply_f32_v, read the squares, free.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const modules = ['scalar', 'simd'].map((variant) => ({
  variant,
  url: new URL(`../../src/WasmSharedMemory/Modules/wasm_shared_memory.${variant}.wasm`, import.meta.url),
}));

async function instantiate(url) {
  const { instance } = await WebAssembly.instantiate(await readFile(url), {});
  return instance.exports;
}

for (const { variant, url } of modules) {
  test(`${variant}: the blog's flow squares 1..16`, async () => {
    const { memory, free_f32_vec, multiply_f32_v, wasm_alloc_f32 } = await instantiate(url);
    const totalElements = 16;
    const sourceArray1Ptr = wasm_alloc_f32(totalElements);
    const sourceArray2Ptr = wasm_alloc_f32(totalElements);
    const resultsArrayPtr = wasm_alloc_f32(totalElements);

    const sourceArray1 = new Float32Array(memory.buffer, sourceArray1Ptr, totalElements);
    for (let i = 0; i < sourceArray1.length; i++) sourceArray1[i] = i + 1;
    const sourceArray2 = new Float32Array(memory.buffer, sourceArray2Ptr, totalElements);
    for (let i = 0; i < sourceArray2.length; i++) sourceArray2[i] = i + 1;

    multiply_f32_v(totalElements, resultsArrayPtr, sourceArray1Ptr, sourceArray2Ptr);

    const resultsArray = new Float32Array(memory.buffer, resultsArrayPtr, totalElements);
    assert.deepEqual(Array.from(resultsArray), Array.from({ length: 16 }, (_, i) => (i + 1) * (i + 1)));

    free_f32_vec(totalElements, sourceArray1Ptr);
    free_f32_vec(totalElements, sourceArray2Ptr);
    free_f32_vec(totalElements, resultsArrayPtr);
  });

  test(`${variant}: a freed block is reused, so free really released it`, async () => {
    const { wasm_alloc_f32, wasm_alloc_bytes, free_f32_vec } = await instantiate(url);
    const first = wasm_alloc_f32(1024);
    free_f32_vec(1024, first);
    assert.equal(wasm_alloc_f32(1024), first);
    free_f32_vec(1024, first);
    // The post's own pairing: bytes allocated at align 1, freed as f32.
    const bytes = wasm_alloc_bytes(4096);
    assert.equal(bytes, first);
    free_f32_vec(1024, bytes);
  });

  test(`${variant}: blocks are 16-byte aligned and do not overlap`, async () => {
    const { wsm_alloc, wsm_free } = await instantiate(url);
    const blocks = [1, 3, 16, 100, 4096].map((size) => ({ size, ptr: wsm_alloc(size, 1) >>> 0 }));
    for (const { ptr } of blocks) assert.equal(ptr % 16, 0);
    const sorted = [...blocks].sort((x, y) => x.ptr - y.ptr);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].ptr + sorted[i - 1].size <= sorted[i].ptr);
    for (const { ptr, size } of blocks) wsm_free(ptr, size, 1);
  });

  test(`${variant}: an impossible allocation returns 0 instead of trapping`, async () => {
    const { wsm_alloc, wasm_alloc_f32, memory } = await instantiate(url);
    assert.equal(wsm_alloc(0xfffffff0 | 0, 16), 0);
    assert.equal(wsm_alloc(16, 3), 0);
    assert.equal(wasm_alloc_f32(0x40000000), 0);
    // Still usable afterwards.
    assert.notEqual(wsm_alloc(64, 16), 0);
    assert.ok(memory.buffer.byteLength > 0);
  });

  test(`${variant}: multiply kernels for f64 and i32 match JavaScript`, async () => {
    const { memory, wsm_alloc, multiply_f64, multiply_i32, wsm_abi_version } = await instantiate(url);
    assert.equal(wsm_abi_version(), 1);
    const n = 19;
    const [a, b, d] = [0, 1, 2].map(() => wsm_alloc(n * 8, 8));
    const fa = new Float64Array(memory.buffer, a, n), fb = new Float64Array(memory.buffer, b, n);
    for (let i = 0; i < n; i++) { fa[i] = i * 1.5 - 7; fb[i] = 3.25 - i; }
    multiply_f64(n, d, a, b);
    const fd = new Float64Array(memory.buffer, d, n);
    for (let i = 0; i < n; i++) assert.equal(fd[i], fa[i] * fb[i]);

    const ia = new Int32Array(memory.buffer, a, n), ib = new Int32Array(memory.buffer, b, n);
    for (let i = 0; i < n; i++) { ia[i] = 0x7fffffff - i; ib[i] = i + 2; }
    multiply_i32(n, a, a, b); // in place
    for (let i = 0; i < n; i++) assert.equal(ia[i], Math.imul(0x7fffffff - i, i + 2));
  });

  // Blocks of 64 KiB and more start on a cache line, where the SIMD build takes its eight-vectors-per-step
  // loop; lengths past a whole step leave a vector and a scalar tail. Checked in place over each operand too.
  test(`${variant}: large blocks are 64-byte aligned and every kernel matches JavaScript over them`, async () => {
    const exports = await instantiate(url);
    const { memory, wsm_alloc, wsm_free } = exports;
    const kernels = [
      { name: 'multiply_f32', View: Float32Array, mul: (x, y) => Math.fround(x * y) },
      { name: 'multiply_f64', View: Float64Array, mul: (x, y) => x * y },
      { name: 'multiply_i32', View: Int32Array, mul: Math.imul },
    ];
    for (const { name, View, mul } of kernels) {
      for (const n of [(65536 / View.BYTES_PER_ELEMENT) + 2, (65536 / View.BYTES_PER_ELEMENT) + 13]) {
        for (const place of ['fresh', 'left', 'right']) {
          const size = n * View.BYTES_PER_ELEMENT;
          const [a, b, fresh] = [0, 1, 2].map(() => wsm_alloc(size, View.BYTES_PER_ELEMENT) >>> 0);
          for (const ptr of [a, b, fresh]) assert.equal(ptr % 64, 0);
          const va = new View(memory.buffer, a, n), vb = new View(memory.buffer, b, n);
          for (let i = 0; i < n; i++) { va[i] = (i % 251) - 125; vb[i] = (i % 97) * 3 + 1; }
          const expected = Array.from(va, (x, i) => mul(x, vb[i]));
          const d = place === 'left' ? a : place === 'right' ? b : fresh;
          exports[name](n, d, a, b);
          const vd = new View(memory.buffer, d, n);
          for (let i = 0; i < n; i++) assert.equal(vd[i], expected[i], `${name} n=${n} ${place} [${i}]`);
          for (const ptr of [a, b, fresh]) wsm_free(ptr, size, View.BYTES_PER_ELEMENT);
        }
      }
    }
  });
}
