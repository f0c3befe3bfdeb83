// farmhash-modern's own API: fingerprint64, hash64, hash64WithSeed, fingerprint32, hash32, hash32WithSeed on bytes;
// the result in decimal.
//   node farmhash-modern.mjs fingerprint64 < input
import { option, readInput, requireFrom } from './common.mjs';

const farmhash = requireFrom('farmhash-modern')('./lib/index.cjs');
const operation = process.argv[2] ?? 'fingerprint64';
const seed = option('seed');
const input = readInput();
const result = seed === undefined ? farmhash[operation](input) : farmhash[operation](input, operation.startsWith('hash64') ? BigInt(seed) : Number(seed));
process.stdout.write(String(result));
