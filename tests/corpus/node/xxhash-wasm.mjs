// xxhash-wasm's own API: h32Raw(bytes, seed) and h64Raw(bytes, seed); the hash as 16 hex digits (h32's zero-padded to 8).
//   node xxhash-wasm.mjs h64 --seed 0 < input
import { option, readInput, requireFrom } from './common.mjs';

const xxhash = requireFrom('xxhash-wasm')('./cjs/xxhash-wasm.cjs');
const { h32Raw, h64Raw } = await xxhash();
const input = readInput();
const seed = option('seed', '0');
process.stdout.write(process.argv[2] === 'h32'
  ? (h32Raw(input, Number(seed)) >>> 0).toString(16).padStart(8, '0')
  : h64Raw(input, BigInt(seed)).toString(16).padStart(16, '0'));
