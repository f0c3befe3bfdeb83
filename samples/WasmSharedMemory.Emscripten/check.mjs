// Proves signal.wasm (built from c/signal.c by c/build.sh) on its own, before any .NET host: instantiate it
// with JavaScript host imports, call _initialize as a host must for a reactor, allocate with its malloc, fill
// the blocks through typed arrays over its memory, run each kernel and compare with a JavaScript reference,
// free. Run: node --test samples/WasmSharedMemory.Emscripten/check.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { view, numbers } from '../check-support.mjs';

const wasm = await WebAssembly.compile(await readFile(new URL('./signal.wasm', import.meta.url)));

// A fresh instance per test. initialize: false leaves the reactor's constructors unrun, as a host that
// forgot _initialize would.
async function instantiate({ initialize = true } = {}) {
  const logs = [];
  const growths = [];
  let memory;
  const env = {
    host_log(ptr, byteLength) {
      logs.push({ ptr, text: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(memory.buffer, ptr, byteLength)) });
    },
    emscripten_notify_memory_growth(memoryIndex) {
      growths.push({ memoryIndex, bytes: memory.buffer.byteLength });
    },
  };
  const { exports } = await WebAssembly.instantiate(wasm, { env });
  memory = exports.memory;
  if (initialize) exports._initialize();
  return { ...exports, logs, growths };
}

// Views are made on demand (see check-support.mjs): memory.grow detaches every typed array made before it.
const f32 = view(Float32Array);
const i16 = view(Int16Array);
const u8 = view(Uint8Array);

const randomFloats = (seed, n, scale = 1) => {
  const random = numbers(seed);
  return Float32Array.from({ length: n }, () => ((random.next().value % 20001) - 10000) / 10000 * scale);
};

// The C kernels' exact arithmetic: single precision at every step, in the order signal.c documents.
const crcTable = Uint32Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32Reference(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function rmsReference(x) {
  if (x.length === 0) return 0;
  let total = 0;
  for (const v of x) total = Math.fround(total + Math.fround(v * v));
  return Math.fround(Math.sqrt(Math.fround(total / x.length)));
}
function firReference(x, taps) {
  return x.map((_, i) => {
    let acc = 0;
    for (let k = 0; k < taps.length && k <= i; k++) acc = Math.fround(acc + Math.fround(taps[k] * x[i - k]));
    return acc;
  });
}

const sizes = [0, 1, 3, 4, 15, 16, 1023, 1024];

test('imports env.host_log and env.emscripten_notify_memory_growth, and no WASI', () => {
  const imports = WebAssembly.Module.imports(wasm).map(({ module, name, kind }) => `${kind} ${module}.${name}`).sort();
  assert.deepEqual(imports, ['function env.emscripten_notify_memory_growth', 'function env.host_log']);
});

test('exports the reactor entry, the C allocator, the kernels and what emscripten always adds', () => {
  const exports = WebAssembly.Module.exports(wasm).map(({ name, kind }) => `${kind} ${name}`).sort();
  assert.deepEqual(exports, [
    'function __errno_location', 'function _initialize', 'function clip', 'function crc32', 'function fir',
    'function free', 'function gain', 'function grow_heap', 'function initialized', 'function malloc',
    'function pcm16_to_float', 'function rms', 'function stackAlloc', 'function stackRestore', 'function stackSave',
    'memory memory', 'table __indirect_function_table',
  ]);
});

test('_initialize runs the C constructor: initialized() and the CRC table prove it', async () => {
  const check = new TextEncoder().encode('123456789'); // CRC-32's standard check input: 0xCBF43926
  const run = async (module) => {
    const ptr = module.malloc(check.length);
    u8(module.memory, ptr, check.length).set(check);
    const crc = module.crc32(ptr, check.length) >>> 0;
    module.free(ptr);
    return crc;
  };

  const bare = await instantiate({ initialize: false });
  assert.equal(bare.initialized(), 0, 'no constructor ran at instantiation');
  assert.equal(await run(bare), 0xffffffff, 'without the table the checksum ignores the bytes');

  const ready = await instantiate();
  assert.equal(ready.initialized(), 1, '_initialize ran the constructor once');
  assert.equal(await run(ready), 0xcbf43926);
});

test('malloc returns 8-byte aligned blocks that free releases, and reports failure with 0', async () => {
  const { memory, malloc, free } = await instantiate();
  const first = malloc(4096);
  assert.ok(first > 0 && first % 8 === 0, `malloc(4096) returned ${first}`);
  free(first);
  assert.equal(malloc(4096), first, 'a freed block is reused');
  free(first);
  const bytes = memory.buffer.byteLength;
  for (let i = 0; i < 1000; i++) free(malloc(256 * 1024));
  assert.ok(memory.buffer.byteLength <= bytes + 256 * 1024 + 65536, 'freed blocks are reused rather than leaked');
  assert.equal(malloc(-16) >>> 0, 0, 'malloc(0xFFFFFFF0) fails with 0 instead of trapping');
  free(0);
});

test('malloc grows memory past the initial 1 MiB and calls env.emscripten_notify_memory_growth(0) after', async () => {
  const { memory, malloc, free, growths } = await instantiate();
  assert.equal(memory.buffer.byteLength, 16 * 65536, 'the module starts with 16 pages');
  const held = malloc(1024);
  f32(memory, held, 256).set(randomFloats(1, 256));
  const before = f32(memory, held, 256);

  const big = malloc(4 << 20);
  assert.ok(big > 0);
  assert.ok(memory.buffer.byteLength > (4 << 20), 'memory grew');
  assert.ok(growths.length >= 1);
  for (const growth of growths) assert.equal(growth.memoryIndex, 0);
  assert.equal(growths.at(-1).bytes, memory.buffer.byteLength, 'notified after the growth, with the new size visible');
  assert.equal(before.length, 0, 'a view made before the growth is detached');
  assert.deepEqual(f32(memory, held, 256), randomFloats(1, 256), 'the held block kept its data and address');
  free(big);
  free(held);
});

for (const n of sizes) {
  test(`gain, rms, crc32 and pcm16_to_float over ${n} elements match the reference and stay inside them`, async () => {
    const { memory, malloc, free, gain, rms, crc32, pcm16_to_float } = await instantiate();
    const x = malloc((n + 1) * 4); // one canary float after the data
    const input = randomFloats(n, n, 3);
    f32(memory, x, n + 1).set([...input, -1.5]);

    gain(x, n, 0.7);
    const gained = input.map((v) => Math.fround(v * Math.fround(0.7)));
    assert.deepEqual(f32(memory, x, n), gained);
    assert.equal(f32(memory, x + n * 4, 1)[0], -1.5, 'the canary is untouched');
    assert.equal(rms(x, n), rmsReference(gained));

    const random = numbers(n + 7);
    const bytes = Uint8Array.from({ length: n }, () => random.next().value >>> 24);
    const b = malloc(n || 1);
    u8(memory, b, n).set(bytes);
    assert.equal(crc32(b, n) >>> 0, crc32Reference(bytes));

    const pcm = malloc(n * 2 || 2);
    const samples = Int16Array.from({ length: n }, (_, i) => [-32768, 32767, 0, -1][i] ?? (random.next().value >>> 16) - 32768);
    i16(memory, pcm, n).set(samples);
    pcm16_to_float(pcm, x, n);
    assert.deepEqual(f32(memory, x, n), Float32Array.from(samples, (s) => s / 32768));
    assert.equal(f32(memory, x + n * 4, 1)[0], -1.5, 'the canary is untouched');
    for (const ptr of [x, b, pcm]) free(ptr);
  });
}

test('kernels treat n <= 0 as empty', async () => {
  const { memory, malloc, free, gain, rms, crc32, pcm16_to_float, fir } = await instantiate();
  const x = malloc(16);
  f32(memory, x, 4).set([1, 2, 3, 4]);
  for (const n of [0, -1, -1000]) {
    gain(x, n, 5);
    pcm16_to_float(x, x, n);
    fir(x, x, n, x, 2);
    assert.equal(rms(x, n), 0);
    assert.equal(crc32(x, n), 0);
  }
  assert.deepEqual(Array.from(f32(memory, x, 4)), [1, 2, 3, 4]);
  free(x);
});

for (const [n, ntaps] of [[0, 3], [1, 1], [5, 3], [3, 5], [1024, 16], [100, 0]]) {
  test(`fir of ${n} samples through ${ntaps} taps matches the reference into a second buffer`, async () => {
    const { memory, malloc, free, fir } = await instantiate();
    const x = malloc(n * 4 || 4);
    const y = malloc((n + 1) * 4);
    const taps = malloc(ntaps * 4 || 4);
    const input = randomFloats(n + 11, n);
    const coefficients = randomFloats(ntaps + 13, ntaps, 0.5);
    f32(memory, x, n).set(input);
    f32(memory, taps, ntaps).set(coefficients);
    f32(memory, y, n + 1).fill(99);

    fir(x, y, n, taps, ntaps);

    assert.deepEqual(f32(memory, y, n), firReference(input, coefficients));
    assert.equal(f32(memory, y + n * 4, 1)[0], 99, 'the canary after y is untouched');
    assert.deepEqual(f32(memory, x, n), input, 'x is only read');
    for (const ptr of [x, y, taps]) free(ptr);
  });
}

test('clip clamps in place, counts, leaves NaN alone and logs UTF-8 through env.host_log', async () => {
  const { memory, malloc, free, clip, logs } = await instantiate();
  const values = [0.5, 1.5, -2, 1, -1, NaN, Infinity, -Infinity, 0.999];
  const x = malloc(values.length * 4);
  f32(memory, x, values.length).set(values);

  assert.equal(clip(x, values.length, 1), 4);

  assert.deepEqual(Array.from(f32(memory, x, values.length)), [0.5, 1, -1, 1, -1, NaN, 1, -1, Math.fround(0.999)]);
  assert.equal(logs.length, 1);
  assert.equal(logs[0].text, 'clip: 9 samples \u2192 4 clamped');
  assert.ok(logs[0].ptr > 0 && logs[0].ptr + 64 <= memory.buffer.byteLength, 'the message is in module memory');

  assert.equal(clip(x, 0, 1), 0);
  assert.equal(clip(x, -3, 1), 0);
  assert.deepEqual(logs.slice(1).map((l) => l.text), ['clip: 0 samples \u2192 0 clamped', 'clip: 0 samples \u2192 0 clamped']);

  const big = malloc(2000000 * 4);
  f32(memory, big, 2000000).fill(3);
  assert.equal(clip(big, 2000000, 2.5), 2000000);
  assert.equal(logs.at(-1).text, 'clip: 2000000 samples \u2192 2000000 clamped');
  assert.ok(f32(memory, big, 2000000).every((v) => v === 2.5));

  const count = logs.length;
  f32(memory, x, 2).set([5, -5]);
  assert.equal(clip(x, 2, -1), -1, 'a negative limit is refused');
  assert.equal(clip(x, 2, NaN), -1, 'a NaN limit is refused');
  assert.deepEqual(Array.from(f32(memory, x, 2)), [5, -5], 'and nothing changed');
  assert.equal(logs.length, count, 'and nothing was logged');
  free(x);
  free(big);
});

test('grow_heap grows memory under a held buffer, keeps its block until the next call, and fails with -1', async () => {
  const { memory, malloc, free, grow_heap, growths, gain } = await instantiate();
  const n = 256;
  const held = malloc(n * 4);
  f32(memory, held, n).set(Float32Array.from({ length: n }, (_, i) => i));
  const before = f32(memory, held, n);

  const pages = grow_heap(8 << 20);
  assert.equal(pages, memory.buffer.byteLength / 65536, 'grow_heap returns the memory size in pages');
  assert.ok(pages > 128, `an 8 MiB block needs more than 128 pages (got ${pages})`);
  assert.ok(growths.length >= 1 && growths.every((g) => g.memoryIndex === 0), 'emscripten_notify_memory_growth(0)');
  assert.equal(before.length, 0, 'a view made before the growth is detached');
  assert.deepEqual(f32(memory, held, n), Float32Array.from({ length: n }, (_, i) => i), 'the held buffer kept its data');

  gain(held, n, 2); // kernels still work on the held buffer after the growth
  assert.deepEqual(f32(memory, held, n), Float32Array.from({ length: n }, (_, i) => i * 2));

  // The kept block is freed by the next call, so asking again reuses it instead of growing further.
  const notified = growths.length;
  assert.equal(grow_heap(8 << 20), pages);
  assert.equal(growths.length, notified, 'no growth: the previous block was freed and reused');
  assert.equal(grow_heap(0), pages, 'memory never shrinks');

  assert.equal(grow_heap(-1), -1);
  assert.equal(grow_heap(0x7fffffff), -1, '2 GiB cannot fit under the 2 GiB maximum');
  assert.equal(memory.buffer.byteLength, pages * 65536, 'a failed grow_heap changes nothing');
  free(held);
});
