// The corpus's deterministic input, the same bytes as tests' CorpusInput.Text(length, seed): English-like words
// drawn by xorshift32, a line break every 12 words, cut at `length` bytes. Compressible like text, tokenizable,
// and large enough on demand to make a module's memory grow.
//   node input.mjs 1048576 7 > input.bin
import { writeOutput } from './common.mjs';

const words = ('the of and to in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her she there been one all we their has would when if so no will more can out up into do than ' +
  'memory module buffer wasm host guest allocate span thread pool compress decode token hash').split(' ');

export function text(length, seed) {
  const out = new Uint8Array(length);
  let state = (seed >>> 0) || 0x9e3779b9;
  let at = 0;
  for (let n = 0; at < length; n++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    const word = words[state % words.length] + ((n + 1) % 12 === 0 ? '\n' : ' ');
    for (let i = 0; i < word.length && at < length; i++) out[at++] = word.charCodeAt(i);
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  writeOutput(text(Number(process.argv[2] ?? 1024), Number(process.argv[3] ?? 1)));
}
