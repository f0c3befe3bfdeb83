// Times each corpus module's work in Node (V8) through its package's own JavaScript API, on the input and
// parameters of cases.json that CorpusBench times on raw Wasmtime and on the library.
// Prints one Markdown row per case: id, operation, input, median ms, MB/s.
//
//   node benchmarks/corpus/bench.mjs [--iterations 9] [--only id,id]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageFolder, requireFrom } from '../../tests/corpus/node/common.mjs';
import { text } from '../../tests/corpus/node/input.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { cases } = JSON.parse(readFileSync(join(here, 'cases.json'), 'utf8'));
const at = process.argv.indexOf('--iterations');
const iterations = at >= 0 ? Number(process.argv[at + 1]) : 9;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1].split(',') : null;

// zstddec's case decompresses the frame zstd-wasm makes of the input at level 3, as CorpusBench does.
async function frameOf(input) {
  const zstd = requireFrom('zstd-wasm')('./dist/common/index.node.js');
  await zstd.init();
  return zstd.compress(input, 3);
}

// Each returns the function to time, already set up (module loaded, warm), or { prepare, run } when the timed
// function takes something made from the input.
const runners = {
  async 'rabin-wasm'() {
    const { create } = requireFrom('rabin-wasm')('./src/index.js');
    const rabin = await create(12, 8192, 32768, 64);
    return input => rabin.fingerprint(input);
  },
  async 'zstd-wasm'() {
    const zstd = requireFrom('zstd-wasm')('./dist/common/index.node.js');
    await zstd.init();
    return input => zstd.compress(input, 3);
  },
  async 'argon2-browser'() {
    delete globalThis.fetch;   // see tests/corpus/node/argon2-browser.mjs
    const argon2 = requireFrom('argon2-browser')('./lib/argon2.js');
    return input => argon2.hash({ pass: input, salt: 'wasm-shared-memory', time: 1, mem: 65536, hashLen: 32, type: argon2.ArgonType.Argon2id });
  },
  async zstddec() {
    const { pathToFileURL } = await import('node:url');
    const { ZSTDDecoder } = await import(pathToFileURL(join(packageFolder('zstddec'), 'dist', 'zstddec.mjs')));
    const decoder = new ZSTDDecoder();
    await decoder.init();
    return { prepare: frameOf, run: frame => decoder.decode(frame) };
  },
  async 'blake3-wasm'() {
    delete globalThis.fetch;   // see tests/corpus/node/blake3-wasm.mjs
    const blake3 = await requireFrom('blake3-wasm')('./dist/wasm/blake3.js')();
    return input => {
      const source = blake3._malloc(input.length), output = blake3._malloc(32);
      blake3.HEAPU8.set(input, source);
      blake3._hash_oneshot(source, input.length, output, 32);
      const hash = blake3.HEAPU8.slice(output, output + 32);
      blake3._free(source);
      blake3._free(output);
      return hash;
    };
  },
  async 'farmhash-modern'() {
    const farmhash = requireFrom('farmhash-modern')('./lib/index.cjs');
    return input => farmhash.fingerprint64(input);
  },
  async 'wasm-flate'() {
    const flate = requireFrom('wasm-flate')('./wasm_flate.js');
    return input => flate.zlib_encode_raw(input);
  },
  async 'lz4-wasm-nodejs'() {
    const lz4 = requireFrom('lz4-wasm-nodejs')('./lz4_wasm_nodejs.js');
    return input => lz4.compress(input);
  },
  async 'brotli-wasm'() {
    const brotli = requireFrom('brotli-wasm')('./index.node.js');
    return input => brotli.compress(input);   // undefined options: the crate's defaults, as CorpusBench passes
  },
  async tiktoken() {
    const { get_encoding } = requireFrom('tiktoken')('./tiktoken.cjs');
    const encoding = get_encoding('cl100k_base');
    return input => encoding.encode_ordinary(new TextDecoder().decode(input));
  },
};

console.log(`Node ${process.version}, ${iterations} timed iterations after 2 warm-ups, load average ${(await import('node:os')).loadavg().map(l => l.toFixed(1)).join(' ')}`);
console.log('| module | operation | input | Node median ms | MB/s |');
console.log('|---|---|---:|---:|---:|');
for (const c of cases) {
  if (only && !only.includes(c.id)) continue;
  if (!runners[c.id]) continue;
  const runner = await runners[c.id]();
  const run = runner.run ?? runner;
  const input = runner.prepare ? await runner.prepare(text(c.bytes, c.seed)) : text(c.bytes, c.seed);
  for (let i = 0; i < 2; i++) await run(input);
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await run(input);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  const rate = c.bytes >= 1024 ? (c.bytes / 1e6 / (median / 1e3)).toFixed(1) : 'n/a';
  console.log(`| ${c.id} | ${c.operation} | ${c.bytes} B | ${median.toFixed(2)} | ${rate} |`);
}
