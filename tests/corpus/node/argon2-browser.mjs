// argon2-browser's own API: argon2.hash({ pass, salt, time, mem, parallelism, hashLen, type }); the raw hash on
// standard output. The password is standard input.
//   node argon2-browser.mjs --salt somesalt --time 1 --mem 131072 --parallelism 1 --hashLen 32 --type 2 < password
import { option, readInput, requireFrom, writeOutput } from './common.mjs';

// Its Emscripten glue (2021) streams the .wasm through fetch() whenever fetch exists, which Node 18+ defines but
// cannot use on a file path; without it the glue reads the file with fs, as it did on the Node of its day.
delete globalThis.fetch;
const argon2 = requireFrom('argon2-browser')('./lib/argon2.js');
const result = await argon2.hash({
  pass: readInput(),
  salt: option('salt', 'wasm-shared-memory'),
  time: Number(option('time', '1')),
  mem: Number(option('mem', '1024')),
  parallelism: Number(option('parallelism', '1')),
  hashLen: Number(option('hashLen', '32')),
  type: Number(option('type', String(argon2.ArgonType.Argon2id))),
});
writeOutput(result.hash);
