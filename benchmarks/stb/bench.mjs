// The Node side of benchmarks/stb: the sample's stb.wasm in V8, timed as native.c times the native build.
//   node bench.mjs PHOTO.jpg ITERATIONS   prints: decode_ms resize_ms checksum (medians; checksum of the resized pixels)
import { readFileSync } from 'node:fs';
import { instantiateStb } from '../../samples/WasmSharedMemory.Thumbnails/stb-node.mjs';

const [photo, iterationsArgument] = process.argv.slice(2);
if (!photo || !iterationsArgument) {
  console.error('usage: node bench.mjs PHOTO.jpg ITERATIONS');
  process.exit(2);
}
const iterations = Number(iterationsArgument);
const warmup = 3;
const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];

const stb = await instantiateStb();
const bytes = readFileSync(photo);
const file = stb.copyIn(bytes);
const { malloc, stbi_load_from_memory: load, stbi_image_free: imageFree, stbir_resize_uint8: resize } = stb.exports;

const times = [];
for (let i = -warmup; i < iterations; i++) {
  const start = performance.now();
  const pixels = load(file, bytes.length, stb.outs, stb.outs + 4, stb.outs + 8, 0);
  if (i >= 0) times[i] = performance.now() - start;
  if (pixels === 0) throw new Error(`decode failed: ${stb.failureReason()}`);
  imageFree(pixels);
}
const decode = median(times);

const pixels = load(file, bytes.length, stb.outs, stb.outs + 4, stb.outs + 8, 0);
const [x, y, n] = [stb.int(0), stb.int(1), stb.int(2)];
const [w, h] = [Math.floor(x / 2), Math.floor(y / 2)];
const resized = malloc(w * h * n);
for (let i = -warmup; i < iterations; i++) {
  const start = performance.now();
  const ok = resize(pixels, x, y, 0, resized, w, h, 0, n);
  if (i >= 0) times[i] = performance.now() - start;
  if (!ok) throw new Error('resize failed');
}
const resizeMs = median(times);

// FNV-1a of the resized pixels, as native.c computes it.
let hash = 2166136261;
for (const byte of stb.bytes(resized, w * h * n)) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
console.log(`${decode.toFixed(2)} ${resizeMs.toFixed(2)} ${hash.toString(16).padStart(8, '0')}`);
