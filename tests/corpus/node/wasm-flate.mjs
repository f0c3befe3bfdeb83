// wasm-flate's own API: zlib/gzip/deflate encode_raw and decode_raw on bytes.
//   node wasm-flate.mjs zlib_encode_raw < input > output
import { readInput, requireFrom, writeOutput } from './common.mjs';

const flate = requireFrom('wasm-flate')('./wasm_flate.js');
const operation = process.argv[2] ?? 'zlib_encode_raw';
writeOutput(flate[operation](readInput()));
