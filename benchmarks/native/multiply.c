/* The memory-bound floor: a plain C loop, dst[i] = a[i] * b[i], with ordinary (cached) stores, as the wasm
 * kernels must use (wasm has no streaming stores). Times the sizes the .NET benchmarks use, with the same
 * method as benchmarks/node/bench.mjs, and prints one JSON object.
 *
 * benchmarks/run.sh builds it twice: plain `-O2` (GCC 12 leaves this loop scalar at -O2) and `-O2
 * -fvect-cost-model=dynamic` (128-bit SSE vectors, the width of wasm's v128), named by NAME. It builds both
 * again with -DTHREADS=2, the floor for Parallelism = 2 (issue 14): each call splits the same loop the way
 * the library splits a large Multiply while its workers are awake, into equal shares at multiples of 16
 * elements (64 bytes), the caller running the first and kept-alive workers, spinning between calls, the others.
 *
 *   cc -O2 -DNAME='"C_O2"' -o multiply multiply.c && ./multiply [--quick]
 *   cc -O2 -pthread -DTHREADS=2 -DNAME='"C_O2_Threads2"' -o multiply2 multiply.c && ./multiply2 [--quick]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NAME
#define NAME "C_O2"
#endif
#ifndef THREADS
#define THREADS 1
#endif

/* noinline so every call really runs the loop; restrict as the wasm kernel's callers would promise. */
__attribute__((noinline)) void multiply_f32(size_t n, float *restrict dst, const float *restrict a,
                                            const float *restrict b) {
  for (size_t i = 0; i < n; i++) dst[i] = a[i] * b[i];
}

#if THREADS > 1
#include <pthread.h>
#include <stdatomic.h>

/* One call's operands, written by the caller before it bumps `sequence`; each counter on its own cache line so
 * the workers' spinning reads do not slow the caller's stores. */
static struct {
  _Alignas(64) atomic_ulong sequence; /* bumped by the caller to start a call */
  _Alignas(64) atomic_ulong done;     /* bumped by each worker when its part is written */
  _Alignas(64) atomic_int stop;
  size_t n;
  float *dst;
  const float *a, *b;
} job;

static void pause_cpu(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/* Part `index` of THREADS: whole 64-byte blocks, so every part keeps the alignment of the whole. */
static void run_part(size_t index, size_t n, float *dst, const float *a, const float *b) {
  size_t chunk = (n / THREADS + 15) & ~(size_t)15;
  size_t start = index * chunk < n ? index * chunk : n;
  size_t end = start + chunk < n ? start + chunk : n;
  multiply_f32(end - start, dst + start, a + start, b + start);
}

static void *worker(void *argument) {
  size_t index = (size_t)argument;
  unsigned long seen = 0;
  for (;;) {
    unsigned long sequence;
    while ((sequence = atomic_load_explicit(&job.sequence, memory_order_acquire)) == seen) {
      if (atomic_load_explicit(&job.stop, memory_order_relaxed)) return NULL;
      pause_cpu();
    }
    seen = sequence;
    run_part(index, job.n, job.dst, job.a, job.b);
    atomic_fetch_add_explicit(&job.done, 1, memory_order_release);
  }
}

static pthread_t workers[THREADS - 1];

static void start_workers(void) {
  for (size_t i = 1; i < THREADS; i++) {
    if (pthread_create(&workers[i - 1], NULL, worker, (void *)i) != 0) exit(1);
  }
}

static void stop_workers(void) {
  atomic_store_explicit(&job.stop, 1, memory_order_relaxed);
  for (size_t i = 1; i < THREADS; i++) pthread_join(workers[i - 1], NULL);
}

/* One call split over THREADS threads: hand the operands to the workers, do part 0, wait for the rest. */
static void multiply(size_t n, float *dst, const float *a, const float *b) {
  unsigned long done = atomic_load_explicit(&job.done, memory_order_relaxed);
  job.n = n;
  job.dst = dst;
  job.a = a;
  job.b = b;
  atomic_fetch_add_explicit(&job.sequence, 1, memory_order_release);
  run_part(0, n, dst, a, b);
  while (atomic_load_explicit(&job.done, memory_order_acquire) - done < THREADS - 1) pause_cpu();
}
#else
static void start_workers(void) {}
static void stop_workers(void) {}
static void multiply(size_t n, float *dst, const float *a, const float *b) { multiply_f32(n, dst, a, b); }
#endif

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static double time_calls(long calls, size_t n, float *dst, const float *a, const float *b) {
  double start = now_ns();
  for (long i = 0; i < calls; i++) {
    multiply(n, dst, a, b);
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

  start_workers();
  printf("{\n  \"runtime\": \"C, %s", __VERSION__);
  if (THREADS > 1) printf(", %d threads", THREADS);
  printf("\",\n  \"results\": [");
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
  stop_workers();
  return 0;
}
