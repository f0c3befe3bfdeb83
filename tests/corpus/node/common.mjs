// Shared by the reference scripts: where a corpus package is, the input on standard input, the result on standard output.
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The folder the corpus is fetched into (WSM_CORPUS, or artifacts/corpus beside the repository). */
export const corpus = process.env.WSM_CORPUS ?? resolve(here, '../../../artifacts/corpus');

/** The extracted package folder of module `id`. */
export const packageFolder = id => join(corpus, id, 'package');

/** A `require` that resolves from module `id`'s folder (its "with" packages sit in node_modules beside it). */
export const requireFrom = id => createRequire(join(corpus, id, 'package', 'package.json'));

/** Everything on standard input, as bytes. */
export const readInput = () => new Uint8Array(readFileSync(0));

/** Writes `bytes` to standard output whole (a pipe takes large writes in pieces). */
export function writeOutput(bytes) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < buffer.length;) {
    try {
      offset += writeSync(1, buffer, offset, Math.min(buffer.length - offset, 1 << 20));
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

/** The value of `--name value` on the command line, or `fallback`. */
export function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}
