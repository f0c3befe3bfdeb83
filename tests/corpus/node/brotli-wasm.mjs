// brotli-wasm's own API (its Node build): compress(bytes, { quality }) and decompress(bytes).
//   node brotli-wasm.mjs compress --quality 5 < input > output
import { option, readInput, requireFrom, writeOutput } from './common.mjs';

const brotli = requireFrom('brotli-wasm')('./index.node.js');
const input = readInput();
const quality = option('quality');
writeOutput(process.argv[2] === 'decompress'
  ? brotli.decompress(input)
  : brotli.compress(input, quality === undefined ? undefined : { quality: Number(quality) }));
