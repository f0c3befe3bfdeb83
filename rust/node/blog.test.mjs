// Runs the blog post's JavaScript flow, unchanged in substance, against both committed modules:
// allocate three blocks of 16 f32 with wasm_alloc_f32, fill 1..16, multiply_f32_v, read the squares, free.
// The kernels themselves are checked in kernels.test.mjs.
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
}
