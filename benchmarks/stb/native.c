// The native side of benchmarks/stb: the sample's own translation unit (stb from Debian's libstb-dev, the same
// C as stb.wasm), timed the way bench.mjs and StbBench time the .wasm. run.sh compiles it with clang -O2, once
// as it is (stb's SSE2 paths on x86-64) and once with -DSTBI_NO_SIMD (the scalar C the .wasm runs).
//
//   native PHOTO.jpg ITERATIONS   prints: decode_ms resize_ms checksum (medians; checksum of the resized pixels)
#include "../../samples/WasmSharedMemory.Thumbnails/c/stb.c"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *times, int n) {
  qsort(times, n, sizeof *times, by_value);
  return times[n / 2];
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: native PHOTO.jpg ITERATIONS\n");
    return 2;
  }
  FILE *file = fopen(argv[1], "rb");
  if (!file) { perror(argv[1]); return 1; }
  fseek(file, 0, SEEK_END);
  long length = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *bytes = malloc(length);
  if (fread(bytes, 1, length, file) != (size_t)length) { perror("fread"); return 1; }
  fclose(file);

  int iterations = atoi(argv[2]), warmup = 3;
  double *times = malloc(sizeof(double) * iterations);
  int x, y, n;

  for (int i = -warmup; i < iterations; i++) {
    double start = now_ms();
    unsigned char *pixels = stbi_load_from_memory(bytes, (int)length, &x, &y, &n, 0);
    if (i >= 0) times[i] = now_ms() - start;
    if (!pixels) { fprintf(stderr, "decode failed: %s\n", stbi_failure_reason()); return 1; }
    stbi_image_free(pixels);
  }
  double decode = median(times, iterations);

  unsigned char *pixels = stbi_load_from_memory(bytes, (int)length, &x, &y, &n, 0);
  int w = x / 2, h = y / 2;
  unsigned char *resized = malloc((size_t)w * h * n);
  for (int i = -warmup; i < iterations; i++) {
    double start = now_ms();
    int ok = stbir_resize_uint8(pixels, x, y, 0, resized, w, h, 0, n);
    if (i >= 0) times[i] = now_ms() - start;
    if (!ok) { fprintf(stderr, "resize failed\n"); return 1; }
  }
  double resize = median(times, iterations);

  // FNV-1a of the resized pixels, so run.sh can tell every runner computed the same image.
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < (size_t)w * h * n; i++) hash = (hash ^ resized[i]) * 16777619u;
  printf("%.2f %.2f %08x\n", decode, resize, hash);
  return 0;
}
