// Proves imaging.wasm (built from c/imaging.c by c/build.sh) on its own, before any .NET host: instantiate
// it with its one host import, allocate with its malloc, fill the blocks through typed arrays over its memory,
// run each kernel and compare with a JavaScript reference, free.
// Run: node --test samples/WasmSharedMemory.ForeignModule/check.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { numbers } from '../check-support.mjs';

const wasm = await WebAssembly.compile(await readFile(new URL('./imaging.wasm', import.meta.url)));

// A fresh instance per test, so a test that traps on purpose leaves nothing behind. env.host_histogram
// records a copy of the bins it is handed (they are freed after the call) and where they were.
async function instantiate() {
  const histograms = [];
  let memory;
  const importObject = {
    env: {
      host_histogram(ptr, count) {
        histograms.push({ ptr, bins: Uint32Array.from(new Uint32Array(memory.buffer, ptr, count)) });
      },
    },
  };
  if (WebAssembly.Module.imports(wasm).some(({ module }) => module === 'wasi_snapshot_preview1')) {
    // Only reached if a toolchain change adds WASI imports: define preview 1 with nothing granted, as the
    // .NET host does. Loaded lazily because node:wasi prints an experimental warning.
    const { WASI } = await import('node:wasi');
    Object.assign(importObject, new WASI({ version: 'preview1', args: [], env: {}, preopens: {} }).getImportObject());
  }
  const { exports } = await WebAssembly.instantiate(wasm, importObject);
  memory = exports.memory;
  return { ...exports, histograms };
}

// Views are made on demand: memory.grow (inside malloc) detaches every typed array made before it.
const f32 = (memory, ptr, length) => new Float32Array(memory.buffer, ptr, length);
const u8 = (memory, ptr, length) => new Uint8Array(memory.buffer, ptr, length);


// The C kernel's exact arithmetic: single precision, sums in the order above, current, below; left to right.
function boxBlurReference(pixels, width, height) {
  const out = new Float32Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let total = 0;
      let count = 0;
      for (let yy = y - 1; yy <= y + 1; yy++) {
        if (yy < 0 || yy >= height) continue;
        for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
          total = Math.fround(total + pixels[yy * width + xx]);
          count++;
        }
      }
      out[y * width + x] = Math.fround(total / count);
    }
  }
  return out;
}

function brightenReference(rgba, n, amount) {
  const out = Uint8Array.from(rgba);
  for (let i = 0; i < n * 4; i++) {
    if (i % 4 !== 3) out[i] = Math.min(255, Math.max(0, out[i] + amount));
  }
  return out;
}

const sumReference = (values) => values.reduce((total, v) => Math.fround(total + v), 0);

test('exports the C allocator contract and the kernels, and imports env.host_histogram and nothing else', () => {
  const exports = WebAssembly.Module.exports(wasm).map(({ name, kind }) => `${kind} ${name}`).sort();
  assert.deepEqual(exports, [
    'function box_blur', 'function brighten', 'function free', 'function luma_histogram', 'function malloc', 'function sum',
    'memory memory',
  ]);
  const imports = WebAssembly.Module.imports(wasm).map(({ module, name, kind }) => `${kind} ${module}.${name}`);
  assert.deepEqual(imports, ['function env.host_histogram']);
});

test('malloc returns aligned blocks that free releases, grows memory, and reports failure with 0', async () => {
  const { memory, malloc, free } = await instantiate();
  const first = malloc(4096);
  assert.ok(first > 0 && first % 8 === 0, `malloc(4096) returned ${first}`);
  free(first);
  assert.equal(malloc(4096), first, 'a freed block is reused');
  free(first);

  const pagesBefore = memory.buffer.byteLength / 65536;
  const big = malloc(4 << 20);
  assert.ok(big > 0 && memory.buffer.byteLength / 65536 > pagesBefore, 'a 4 MiB block grows memory');
  free(big);

  assert.equal(malloc(-16) >>> 0, 0, 'malloc(0xFFFFFFF0) fails with 0 instead of trapping');
});

for (const [width, height] of [[1, 1], [1, 5], [5, 1], [2, 2], [3, 3], [17, 9], [64, 48]]) {
  test(`box_blur ${width}x${height} matches the reference bit for bit and stays inside the image`, async () => {
    const { memory, malloc, free, box_blur } = await instantiate();
    const n = width * height;
    const ptr = malloc((n + 1) * 4); // one canary float after the image
    assert.ok(ptr !== 0);
    const random = numbers(n);
    const input = Float32Array.from({ length: n }, () => (random.next().value % 10000) / 37);
    f32(memory, ptr, n + 1).set([...input, -1.5]);

    box_blur(ptr, width, height);

    assert.deepEqual(f32(memory, ptr, n), boxBlurReference(input, width, height));
    assert.equal(f32(memory, ptr + n * 4, 1)[0], -1.5, 'the canary after the image is untouched');
    free(ptr);
  });
}

test('box_blur frees its scratch rows and ignores sizes <= 0', async () => {
  const { memory, malloc, free, box_blur } = await instantiate();
  const width = 1024;
  const ptr = malloc(width * 2 * 4);
  f32(memory, ptr, width * 2).fill(3);
  box_blur(ptr, width, 2);
  const bytes = memory.buffer.byteLength;
  // 8 KiB of scratch per call: 2,000 leaked calls would need 16 MiB more memory.
  for (let i = 0; i < 2000; i++) box_blur(ptr, width, 2);
  assert.equal(memory.buffer.byteLength, bytes, 'memory did not grow, so every scratch buffer was freed');
  assert.ok(f32(memory, ptr, width * 2).every((v) => v === 3), 'blurring a flat image leaves it flat');

  f32(memory, ptr, 4).set([1, 2, 3, 4]);
  for (const [w, h] of [[0, 2], [2, 0], [-1, 2], [2, -1]]) box_blur(ptr, w, h);
  assert.deepEqual(Array.from(f32(memory, ptr, 4)), [1, 2, 3, 4]);
  free(ptr);
});

test('box_blur traps on a size no buffer could have, rather than wrapping', async () => {
  const { malloc, box_blur } = await instantiate();
  const ptr = malloc(16);
  assert.throws(() => box_blur(ptr, 0x7fffffff, 2), WebAssembly.RuntimeError);
});

for (const amount of [0, 40, -40, 255, -255, 1000, -1000]) {
  test(`brighten by ${amount} saturates RGB, keeps alpha and stays inside n pixels`, async () => {
    const { memory, malloc, free, brighten } = await instantiate();
    const n = 300;
    const ptr = malloc((n + 1) * 4); // one canary pixel
    const random = numbers(amount + 2000);
    const input = Uint8Array.from({ length: (n + 1) * 4 }, () => random.next().value >>> 24);
    u8(memory, ptr, input.length).set(input);

    brighten(ptr, n, amount);

    assert.deepEqual(u8(memory, ptr, input.length), brightenReference(input, n, amount));
    free(ptr);
  });
}

test('brighten ignores n <= 0', async () => {
  const { memory, malloc, free, brighten } = await instantiate();
  const ptr = malloc(4);
  u8(memory, ptr, 4).set([10, 20, 30, 40]);
  brighten(ptr, 0, 50);
  brighten(ptr, -1, 50);
  assert.deepEqual(Array.from(u8(memory, ptr, 4)), [10, 20, 30, 40]);
  free(ptr);
});

test('sum adds left to right in single precision, and is 0 for n <= 0', async () => {
  const { memory, malloc, free, sum } = await instantiate();
  for (const n of [1, 3, 4, 15, 16, 1023, 1024]) {
    const ptr = malloc(n * 4);
    const random = numbers(n);
    const values = Float32Array.from({ length: n }, () => (random.next().value % 2000 - 1000) / 7);
    f32(memory, ptr, n).set(values);
    assert.equal(sum(ptr, n), sumReference(values), `sum of ${n}`);
    assert.equal(sum(ptr, 0), 0);
    assert.equal(sum(ptr, -5), 0);
    free(ptr);
  }
});

function lumaReference(rgba, n) {
  const bins = new Uint32Array(256);
  for (let i = 0; i < n; i++) bins[(77 * rgba[4 * i] + 150 * rgba[4 * i + 1] + 29 * rgba[4 * i + 2]) >> 8]++;
  let mode = 0;
  for (let v = 1; v < 256; v++) if (bins[v] > bins[mode]) mode = v;
  return { bins, mode };
}

for (const n of [1, 3, 4, 255, 1000, 100000]) {
  test(`luma_histogram of ${n} pixels hands the host 256 bins in module memory and returns the mode`, async () => {
    const { memory, malloc, free, luma_histogram, histograms } = await instantiate();
    const ptr = malloc(n * 4);
    const random = numbers(n + 3);
    const rgba = Uint8Array.from({ length: n * 4 }, () => random.next().value >>> 24);
    u8(memory, ptr, rgba.length).set(rgba);
    const expected = lumaReference(rgba, n);

    const mode = luma_histogram(ptr, n);

    assert.equal(histograms.length, 1, 'the host was called once');
    assert.deepEqual(histograms[0].bins, expected.bins);
    assert.ok(histograms[0].ptr > 0 && histograms[0].ptr !== ptr, 'the bins are a block of the module, not the pixels');
    assert.equal(mode, expected.mode);
    assert.deepEqual(u8(memory, ptr, rgba.length), rgba, 'the pixels are only read');
    free(ptr);
  });
}

test('luma_histogram breaks ties toward the lower luma, frees its bins, and ignores n <= 0', async () => {
  const { memory, malloc, free, luma_histogram, histograms } = await instantiate();
  const ptr = malloc(8);
  u8(memory, ptr, 8).set([255, 255, 255, 0, 0, 0, 0, 255]); // luma 255 and 0, once each
  assert.equal(luma_histogram(ptr, 2), 0);
  const bytes = memory.buffer.byteLength;
  for (let i = 0; i < 5000; i++) luma_histogram(ptr, 2); // 1 KiB of bins per call: 5 MiB if leaked
  assert.equal(memory.buffer.byteLength, bytes, 'every block of bins was freed');
  const calls = histograms.length;
  assert.equal(luma_histogram(ptr, 0), -1);
  assert.equal(luma_histogram(ptr, -3), -1);
  assert.equal(histograms.length, calls, 'n <= 0 does not call the host');
  free(ptr);
});
