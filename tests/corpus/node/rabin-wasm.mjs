// rabin-wasm's own API: create(bits, min, max, windowSize), then fingerprint(bytes); the chunk lengths as
// little-endian int32s.
//   node rabin-wasm.mjs --bits 12 --min 8192 --max 32768 --window 64 < input > lengths
import { option, readInput, requireFrom, writeOutput } from './common.mjs';

const { create } = requireFrom('rabin-wasm')('./src/index.js');
const rabin = await create(
  Number(option('bits', '12')), Number(option('min', '8192')), Number(option('max', '32768')), Number(option('window', '64')));
const lengths = Int32Array.from(rabin.fingerprint(readInput()));
writeOutput(new Uint8Array(lengths.buffer));
