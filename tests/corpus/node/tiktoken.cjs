// The Node reference for tiktoken: encodes standard input (UTF-8 text) with the package's own JavaScript API,
// encoding named by the first argument, and writes the token ids to standard output, one a line.
const { join } = require('node:path');
const { readFileSync } = require('node:fs');
const { get_encoding } = require(join(process.env.WSM_CORPUS, 'tiktoken', 'package', 'tiktoken.cjs'));

const encoding = get_encoding(process.argv[2]);
try {
  process.stdout.write(Array.from(encoding.encode_ordinary(readFileSync(0, 'utf8'))).join('\n'));
} finally {
  encoding.free();
}
