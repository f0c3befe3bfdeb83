// An Emscripten C++ program with embind bindings: loading it calls the _embind_register_* imports, which the host
// accepts as no-ops, and its functions are called by their raw exports.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <emscripten.h>
#include <emscripten/bind.h>

extern "C" {
// The sum of count int32 values.
EMSCRIPTEN_KEEPALIVE int64_t sum_int32(const int32_t* values, size_t count) {
  int64_t sum = 0;
  for (size_t i = 0; i < count; i++) {
    sum += values[i];
  }
  return sum;
}

// Upper-cases count ASCII bytes in place; returns how many it changed.
EMSCRIPTEN_KEEPALIVE int upper_ascii(char* text, size_t count) {
  int changed = 0;
  for (size_t i = 0; i < count; i++) {
    if (text[i] >= 'a' && text[i] <= 'z') {
      text[i] = static_cast<char>(text[i] - 32);
      changed++;
    }
  }
  return changed;
}
}

static std::string greet(const std::string& name) { return "hello " + name; }

struct Counter {
  int value = 0;
  int increment() { return ++value; }
};

EMSCRIPTEN_BINDINGS(sample) {
  emscripten::function("greet", &greet);
  emscripten::class_<Counter>("Counter").constructor<>().function("increment", &Counter::increment);
}
