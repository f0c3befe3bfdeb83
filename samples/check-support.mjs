// Helpers the samples' Node checks share (not a test file itself).

// Views are made on demand: memory.grow detaches every typed array made before it.
export const view = (Type) => (memory, ptr, length) => new Type(memory.buffer, ptr, length);

// Deterministic inputs without Math.random, so a failure reproduces.
export function* numbers(seed) {
  let state = seed >>> 0;
  for (;;) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    yield state;
  }
}
