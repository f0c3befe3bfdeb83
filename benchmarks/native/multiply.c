/* The memory-bound floor: a plain C loop, dst[i] = a[i] * b[i], with ordinary (cached) stores, as the wasm
 * kernels must use (wasm has no streaming stores). Times the sizes the .NET benchmarks use, with the same
 * method as benchmarks/node/bench.mjs, and prints one JSON object.
 *
 * benchmarks/run.sh builds it twice: plain `-O2` (GCC 12 leaves this loop scalar at -O2) and `-O2
 * -fvect-cost-model=dynamic` (128-bit SSE vectors, the width of wasm's v128), named by NAME.
 *
 *   cc -O2 -DNAME='"C_O2"' -o multiply multiply.c && ./multiply [--quick]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NAME
#define NAME "C_O2"
#endif

/* noinline so every call really runs the loop; restrict as the wasm kernel's callers would promise. */
__attribute__((noinline)) void multiply_f32(size_t n, float *restrict dst, const float *restrict a,
                                            const float *restrict b) {
  for (size_t i = 0; i < n; i++) dst[i] = a[i] * b[i];
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double time_calls(long calls, size_t n, float *dst, const float *a, const float *b) {
  double start = now_ns();
  for (long i = 0; i < calls; i++) {
    multiply_f32(n, dst, a, b);
    __asm__ volatile("" ::: "memory"); /* the compiler may not merge or drop calls */
  }
  return now_ns() - start;
}

static int compare(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(int argc, char **argv) {
  int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
  const size_t sizes[] = {16, 1024, 65536, 1u << 20, 1u << 24};
  const int batches = quick ? 5 : 15;
  const double batch_ns = (quick ? 20 : 100) * 1e6, warmup_ns = (quick ? 100 : 500) * 1e6;

  printf("{\n  \"runtime\": \"C, %s\",\n  \"results\": [", __VERSION__);
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    size_t n = sizes[s];
    size_t bytes = (n * sizeof(float) + 63) & ~(size_t)63;
    float *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes), *dst = aligned_alloc(64, bytes);
    if (!a || !b || !dst) return 1;
    for (size_t i = 0; i < n; i++) {
      a[i] = (float)(i % 1000) * 0.5f + 1.0f;
      b[i] = 1.0f + (float)(i % 7) * 0.25f;
    }
    memset(dst, 0, bytes);

    long calls = 1;
    for (double end = now_ns() + warmup_ns; now_ns() < end;) {
      double elapsed = time_calls(calls, n, dst, a, b);
      if (elapsed < batch_ns) {
        double scaled = calls * batch_ns / (elapsed > 1 ? elapsed : 1);
        calls = scaled < calls * 2.0 ? (long)scaled + 1 : calls * 2;
      }
    }

    double per_call[64], sum = 0;
    for (int i = 0; i < batches; i++) sum += per_call[i] = time_calls(calls, n, dst, a, b) / calls;
    qsort(per_call, batches, sizeof per_call[0], compare);
    double median = batches % 2 ? per_call[batches / 2] : (per_call[batches / 2 - 1] + per_call[batches / 2]) / 2;
    printf("%s\n    { \"name\": \"%s\", \"n\": %zu, \"medianNs\": %.3f, \"meanNs\": %.3f, \"batches\": %d, "
           "\"callsPerBatch\": %ld, \"check\": %g }",
           s ? "," : "", NAME, n, median, sum / batches, batches, calls, (double)dst[n - 1]);
    free(a);
    free(b);
    free(dst);
  }
  printf("\n  ]\n}\n");
  return 0;
}
