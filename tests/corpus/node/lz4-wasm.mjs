// lz4-wasm-nodejs's own API: compress(bytes) and decompress(bytes).
//   node lz4-wasm.mjs compress < input > output
import { readInput, requireFrom, writeOutput } from './common.mjs';

const lz4 = requireFrom('lz4-wasm')('./lz4_wasm_nodejs.js');
writeOutput(process.argv[2] === 'decompress' ? lz4.decompress(readInput()) : lz4.compress(readInput()));
