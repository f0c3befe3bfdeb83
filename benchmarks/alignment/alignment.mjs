// Alignment probe for the SIMD module's multiply_f32 export, hosted in Node (V8). Same cases and
// statistics as AlignmentProbe/Program.cs (the Wasmtime host); see docs/alignment.md.
//
// Question: does aligning large blocks to 64 bytes (a cache line) instead of 16 pay off? The kernel uses
// 16-byte v128 loads/stores, so any 16-byte-aligned pointer keeps every vector inside one cache line. One
// oversized 64-byte-aligned block per array, pointers at +0/+16/+32/+48 inside it: every case touches the
// same pages and only the offset differs. "all+4" is a contrast (vectors straddle cache lines).
// Cases are interleaved within each round (rotating the start), over many rounds, because the VM is noisy.
//
// Usage: node benchmarks/alignment/alignment.mjs [--rounds N] [--batch-ms M]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const rounds = arg('--rounds', 51);      // timed rounds per size; each round runs every case once
const batchMs = arg('--batch-ms', 40);   // target wall time of one timed batch

const sizes = [64 * 1024, 1024 * 1024, 16 * 1024 * 1024];
// [name, dst offset, a offset, b offset] in bytes from a 64-byte-aligned block start.
const cases = [
  ['all+0', 0, 0, 0],
  ['all+16', 16, 16, 16],
  ['all+32', 32, 32, 32],
  ['all+48', 48, 48, 48],
  ['mixed d0/a16/b48', 0, 16, 48],
  ['all+4 (contrast)', 4, 4, 4],
];
const SLACK = 128; // room for the largest offset plus a spare cache line

const modulePath = fileURLToPath(
  new URL('../../src/WasmSharedMemory/Modules/wasm_shared_memory.simd.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(readFileSync(modulePath), {});
const { memory, wsm_alloc, wsm_free, multiply_f32 } = instance.exports;

console.log(`host: Node ${process.version} (V8 ${process.versions.v8})`);
// Relative to the repository, so a committed result names no machine path.
console.log(`module: ${relative(fileURLToPath(new URL('../..', import.meta.url)), modulePath)}`);
console.log(`rounds: ${rounds}, target batch: ${batchMs} ms, timer: process.hrtime.bigint()`);

const now = () => process.hrtime.bigint();

for (const n of sizes) {
  const bytes = n * 4 + SLACK;
  const dstBlock = wsm_alloc(bytes, 64), aBlock = wsm_alloc(bytes, 64), bBlock = wsm_alloc(bytes, 64);
  if (!dstBlock || !aBlock || !bBlock || (dstBlock | aBlock | bBlock) % 64 !== 0) {
    throw new Error('wsm_alloc failed or returned a block not aligned to 64');
  }
  // Views are taken after the allocations: growing memory detaches earlier ArrayBuffer views.
  // Finite, non-zero inputs whose products stay normal, over the whole block so every offset reads the
  // same kind of data; dst is written once so its pages are already mapped.
  const f32 = (block) => new Float32Array(memory.buffer, block, bytes / 4);
  const a = f32(aBlock), b = f32(bBlock);
  for (let i = 0; i < a.length; i++) { a[i] = Math.fround(1 + (i % 97) * 0.01); b[i] = Math.fround(0.5 + (i % 89) * 0.01); }
  f32(dstBlock).fill(1);

  // Warm up every case (and check it computes the right thing), then size a batch from the all+0 case.
  for (const [name, d, pa, pb] of cases) {
    for (let w = 0; w < 3; w++) multiply_f32(n, dstBlock + d, aBlock + pa, bBlock + pb);
    verify(n, dstBlock + d, aBlock + pa, bBlock + pb, name);
  }
  const p0 = now();
  let probeCalls = 0;
  while (Number(now() - p0) < 10e6) { multiply_f32(n, dstBlock, aBlock, bBlock); probeCalls++; }
  const calls = Math.max(1, Math.round((batchMs * probeCalls) / (Number(now() - p0) / 1e6)));

  const nsPerCall = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const ci = (k + r) % cases.length; // rotate the order so position in the round is not a factor
      const [, d, pa, pb] = cases[ci];
      const dst = dstBlock + d, x = aBlock + pa, y = bBlock + pb;
      const t0 = now();
      for (let j = 0; j < calls; j++) multiply_f32(n, dst, x, y);
      const t1 = now();
      nsPerCall[ci].push(Number(t1 - t0) / calls);
    }
  }

  console.log();
  console.log(`blocks: dst 0x${dstBlock.toString(16)}, a 0x${aBlock.toString(16)}, b 0x${bBlock.toString(16)} ` +
    `(mod 4096: ${dstBlock % 4096}, ${aBlock % 4096}, ${bBlock % 4096})`);
  report(n, calls, cases.map((c) => c[0]), nsPerCall);
  wsm_free(dstBlock, bytes, 64); wsm_free(aBlock, bytes, 64); wsm_free(bBlock, bytes, 64);
}

function verify(n, dst, a, b, name) {
  const view = new DataView(memory.buffer);
  for (const i of [0, 1, n >> 1, n - 1]) {
    const got = view.getFloat32(dst + 4 * i, true);
    const want = Math.fround(view.getFloat32(a + 4 * i, true) * view.getFloat32(b + 4 * i, true));
    if (!Object.is(got, want)) throw new Error(`${name}: wrong product at ${i}: ${got} != ${want}`);
  }
}

// One line per case: median / min / max ns per element, µs per call, and the paired ratio to all+0.
function report(n, calls, names, nsPerCall) {
  console.log(`n = ${n} (${(n * 4) / 1024} KiB per array), ${calls} call(s) per batch, ${nsPerCall[0].length} rounds`);
  console.log('| case | median µs/call | median ns/elem | min–max ns/elem | ratio to all+0: median [p25–p75] |');
  console.log('|---|---:|---:|---:|---:|');
  names.forEach((name, c) => {
    const xs = nsPerCall[c], ratios = xs.map((x, r) => x / nsPerCall[0][r]);
    const q = quantile;
    console.log(`| ${name} | ${(q(xs, 0.5) / 1000).toFixed(1)} | ${(q(xs, 0.5) / n).toFixed(3)} | ` +
      `${(Math.min(...xs) / n).toFixed(3)}–${(Math.max(...xs) / n).toFixed(3)} | ` +
      `${q(ratios, 0.5).toFixed(3)} [${q(ratios, 0.25).toFixed(3)}–${q(ratios, 0.75).toFixed(3)}] |`);
  });
}

function quantile(values, q) {
  const s = [...values].sort((x, y) => x - y);
  const pos = q * (s.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
