// tiktoken's own API: get_encoding(name).encode_ordinary(text); the token ids as little-endian uint32s.
//   node tiktoken.mjs --encoding cl100k_base < text > tokens
import { option, readInput, requireFrom, writeOutput } from './common.mjs';

const { get_encoding } = requireFrom('tiktoken')('./tiktoken.cjs');
const encoding = get_encoding(option('encoding', 'cl100k_base'));
const tokens = encoding.encode_ordinary(new TextDecoder().decode(readInput()));
encoding.free();
writeOutput(new Uint8Array(Uint32Array.from(tokens).buffer));
