// The Node reference for lz4-wasm-nodejs: compresses standard input with the package's own JavaScript API
// and writes the compressed bytes to standard output.
const { join } = require('node:path');
const { readFileSync } = require('node:fs');
const lz4 = require(join(process.env.WSM_CORPUS, 'lz4-wasm-nodejs', 'package', 'lz4_wasm_nodejs.js'));

process.stdout.write(Buffer.from(lz4.compress(readFileSync(0))));
