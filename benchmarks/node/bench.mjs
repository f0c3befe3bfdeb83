// Times the library's own .wasm files in Node (V8) at the sizes the .NET benchmarks use: the same
// multiply_f32(n, dst, a, b) export, three blocks per size allocated once through wsm_alloc.
// Prints one JSON object: { runtime, results: [{ name, n, medianNs, meanNs, batches }] }.
//
//   node benchmarks/node/bench.mjs [--quick]
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', '..', 'src', 'WasmSharedMemory', 'Modules');
const sizes = [16, 1024, 65536, 1 << 20, 1 << 24];
const quick = process.argv.includes('--quick');
const batches = quick ? 5 : 15;
const batchNs = (quick ? 20 : 100) * 1e6; // each timed batch runs at least this long
const warmupNs = (quick ? 100 : 500) * 1e6; // long enough for V8 to tier the function up to TurboFan

function fill(a, b) {
  for (let i = 0; i < a.length; i++) {
    a[i] = (i % 1000) * 0.5 + 1;
    b[i] = 1 + (i % 7) * 0.25;
  }
}

function now() {
  return process.hrtime.bigint();
}

// Runs `calls` calls and returns the elapsed nanoseconds.
function time(multiply, calls, n, dst, a, b) {
  const start = now();
  for (let i = 0; i < calls; i++) multiply(n, dst, a, b);
  return Number(now() - start);
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function bench(variant) {
  const bytes = await readFile(join(modules, `wasm_shared_memory.${variant}.wasm`));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const { memory, wsm_alloc: alloc, multiply_f32: multiply } = instance.exports;
  const results = [];
  for (const n of sizes) {
    const [a, b, dst] = [0, 1, 2].map(() => alloc(n * 4, 16) >>> 0);
    if (!a || !b || !dst) throw new Error(`wsm_alloc failed for n = ${n}`);
    // Views are made after every allocation: a memory.grow detaches older ones.
    fill(new Float32Array(memory.buffer, a, n), new Float32Array(memory.buffer, b, n));
    new Float32Array(memory.buffer, dst, n).fill(0);

    // Warm up (tier-up, page faults), and size a batch so it runs at least batchNs.
    let calls = 1;
    const warmupEnd = now() + BigInt(warmupNs);
    while (now() < warmupEnd) {
      const elapsed = time(multiply, calls, n, dst, a, b);
      if (elapsed < batchNs) calls = Math.min(calls * 2, Math.ceil(calls * batchNs / Math.max(elapsed, 1)));
    }

    const perCall = [];
    for (let i = 0; i < batches; i++) perCall.push(time(multiply, calls, n, dst, a, b) / calls);
    const check = new Float32Array(memory.buffer, dst, n)[n - 1];
    const want = Math.fround(Math.fround(((n - 1) % 1000) * 0.5 + 1) * Math.fround(1 + ((n - 1) % 7) * 0.25));
    if (check !== want) throw new Error(`${variant} n = ${n}: product ${check}, expected ${want}`);
    results.push({
      name: `Node_${variant === 'simd' ? 'Simd' : 'Scalar'}`,
      n,
      medianNs: median(perCall),
      meanNs: perCall.reduce((s, x) => s + x, 0) / perCall.length,
      batches: perCall.length,
      callsPerBatch: calls,
    });
  }
  return results;
}

const results = [...(await bench('simd')), ...(await bench('scalar'))];
console.log(JSON.stringify({ runtime: `Node ${process.version} (V8 ${process.versions.v8})`, results }, null, 2));
