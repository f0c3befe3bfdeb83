// An Emscripten program with the runtime imports every JavaScript-glue build takes, for the host's built-in ones:
// malloc grows memory through emscripten_resize_heap, memcpy of large blocks goes to emscripten_memcpy_big, assert
// fails through __assert_fail, a 64-bit result returns its high half through setTempRet0, and a C constructor runs
// from __wasm_call_ctors. build.sh builds it four ways (standalone, JS glue, minified JS glue) and embind.cpp beside it.
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <emscripten.h>

static int constructed;

__attribute__((constructor)) static void construct(void) { constructed = 42; }

// 42 once the constructors ran, 0 before.
EMSCRIPTEN_KEEPALIVE int constructors_ran(void) { return constructed; }

// FNV-1a over count bytes.
EMSCRIPTEN_KEEPALIVE uint32_t fnv1a(const uint8_t* bytes, size_t count) {
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < count; i++) {
    hash = (hash ^ bytes[i]) * 16777619u;
  }
  return hash;
}

// A block of count bytes the module allocates itself (so memory grows from inside), filled with (i * 31 + 7) & 255; 0 if malloc fails.
EMSCRIPTEN_KEEPALIVE uint8_t* make_pattern(size_t count) {
  uint8_t* block = malloc(count);
  if (block == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < count; i++) {
    block[i] = (uint8_t)(i * 31 + 7);
  }
  return block;
}

// memcpy, which hands large copies to the host in a JavaScript-glue build.
EMSCRIPTEN_KEEPALIVE void copy_bytes(uint8_t* dest, const uint8_t* source, size_t count) { memcpy(dest, source, count); }

// value, after asserting that it is positive.
EMSCRIPTEN_KEEPALIVE int checked_positive(int value) {
  assert(value > 0);
  return value;
}

// value << 33: a 64-bit result, which a build without BigInt integration returns in two halves.
EMSCRIPTEN_KEEPALIVE int64_t shifted(int32_t value) { return (int64_t)value << 33; }
