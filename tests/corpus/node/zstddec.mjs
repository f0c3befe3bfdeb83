// zstddec's own API: new ZSTDDecoder(), init(), decode(frame, uncompressedSize); the decompressed bytes.
//   node zstddec.mjs --size 1048576 < frame > output
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { option, packageFolder, readInput, writeOutput } from './common.mjs';

const { ZSTDDecoder } = await import(pathToFileURL(join(packageFolder('zstddec'), 'dist', 'zstddec.mjs')));
const decoder = new ZSTDDecoder();
await decoder.init();
const size = option('size');
writeOutput(decoder.decode(readInput(), size === undefined ? undefined : Number(size)));
