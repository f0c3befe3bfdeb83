// @bokuweb/zstd-wasm's own API: init(), then compress(input, level) or decompress(input).
//   node zstd-wasm.mjs compress --level 3 < input > output
import { option, readInput, requireFrom, writeOutput } from './common.mjs';

const zstd = requireFrom('zstd-wasm')('./dist/common/index.node.js');
await zstd.init();
const input = readInput();
const result = process.argv[2] === 'decompress'
  ? zstd.decompress(input)
  : zstd.compress(input, Number(option('level', '3')));
writeOutput(result);
