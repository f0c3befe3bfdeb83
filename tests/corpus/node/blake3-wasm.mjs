// blake3-wasm's own Emscripten glue (dist/wasm/blake3.js) driven as the package's hash() does through
// @c4312/blake3-internal's hashOneShot, a dependency the registry no longer has: the input and a 32-byte output
// malloc'd, _hash_oneshot(input, length, output, outputLength), both freed. The hash in hex.
//   node blake3-wasm.mjs < input
import { readInput, requireFrom } from './common.mjs';

delete globalThis.fetch;   // its 2022 glue would try to fetch a file path in Node 18+, as argon2-browser's does
const create = requireFrom('blake3-wasm')('./dist/wasm/blake3.js');
const blake3 = await create();
const input = readInput();
const length = 32;
const inputAddress = blake3._malloc(input.length);
const outputAddress = blake3._malloc(length);
blake3.HEAPU8.set(input, inputAddress);
blake3._hash_oneshot(inputAddress, input.length, outputAddress, length);
const hash = blake3.HEAPU8.slice(outputAddress, outputAddress + length);
blake3._free(inputAddress);
blake3._free(outputAddress);
process.stdout.write(Buffer.from(hash).toString('hex'));
