/*
 * A small imaging module built by clang and wasm-ld against wasi-libc, not by our Rust toolchain. It exists
 * to show that WasmSharedMemory shares typed buffers with a module it did not build: the host allocates with
 * the C library's own malloc/free (exported by build.sh), fills the block in place, and passes its address.
 *
 * Contract (the C one): malloc(size) -> ptr or 0, free(ptr). Every kernel takes buffers the host allocated
 * and trusts the host for their length; a count <= 0 is a no-op so a bad count never walks memory.
 * Exports: memory, malloc, free, box_blur, brighten, sum, luma_histogram.
 * Imports: env.host_histogram, a host function luma_histogram hands its result to (see below).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * A host function: receives count uint32 bins that live in this module's memory (a block luma_histogram
 * malloc'd), valid only during the call. The host reads them in place; nothing is copied out.
 */
__attribute__((import_module("env"), import_name("host_histogram")))
void host_histogram(const uint32_t *bins, int count);

/*
 * 3x3 box blur of a width x height single-channel float image, in place. Each pixel becomes the mean of the
 * pixels of its 3x3 neighbourhood that lie inside the image, so edges and corners average 6 and 4 pixels
 * rather than reading zeros or wrapping.
 *
 * In place needs the original values of the row above and of the current row after they are overwritten,
 * so two rows are copied into a malloc'd scratch buffer; the row below is still original when it is read.
 * The sums run in a fixed order (row above, current, below; left to right) so a host can reproduce the
 * result bit for bit. If the scratch buffer cannot be allocated, or the sizes could not describe a real
 * buffer, the module aborts (a wasm trap): a kernel that silently skipped its work would be worse.
 */
void box_blur(float *pixels, int width, int height)
{
    if (pixels == NULL || width <= 0 || height <= 0)
        return;

    size_t w = (size_t)width;
    /* size_t is 32 bits on wasm32: an image or scratch size that would wrap cannot be a real buffer. */
    if (w > SIZE_MAX / sizeof(float) / (size_t)height || w > SIZE_MAX / (2 * sizeof(float)))
        abort();
    float *scratch = malloc(2 * w * sizeof(float));
    if (scratch == NULL)
        abort();
    float *above = scratch;
    float *current = scratch + w;

    for (int y = 0; y < height; y++) {
        float *row = pixels + (size_t)y * w;
        const float *below = y + 1 < height ? row + w : NULL;
        memcpy(current, row, w * sizeof(float));

        for (int x = 0; x < width; x++) {
            int left = x > 0 ? x - 1 : x;
            int right = x + 1 < width ? x + 1 : x;
            float total = 0.0f;
            int count = 0;
            for (int i = left; i <= right; i++) {
                if (y > 0) { total += above[i]; count++; }
            }
            for (int i = left; i <= right; i++) { total += current[i]; count++; }
            if (below != NULL) {
                for (int i = left; i <= right; i++) { total += below[i]; count++; }
            }
            row[x] = total / (float)count;
        }

        /* The row just copied is the next row's "above"; its old buffer is reused for the next copy. */
        float *swap = above;
        above = current;
        current = swap;
    }

    free(scratch);
}

/*
 * Adds amount (negative darkens) to the red, green and blue channels of n RGBA pixels, clamping to 0..255
 * instead of wrapping: wrapping would turn a bright pixel black. Alpha is left alone.
 */
void brighten(uint8_t *rgba, int n, int amount)
{
    if (rgba == NULL || n <= 0)
        return;
    /* 4 * n bytes must fit in a 32-bit size_t, or the offsets below would wrap. */
    if ((size_t)n > SIZE_MAX / 4)
        abort();
    /* Clamp first so the int sums below cannot overflow whatever the caller passes. */
    if (amount > 255) amount = 255;
    if (amount < -255) amount = -255;

    for (size_t i = 0; i < (size_t)n; i++) {
        uint8_t *pixel = rgba + 4 * i;
        for (int c = 0; c < 3; c++) {
            int value = pixel[c] + amount;
            pixel[c] = (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
        }
    }
}

/* Sum of n floats, added left to right in single precision so a host can reproduce it exactly. */
float sum(const float *values, int n)
{
    if (values == NULL || n <= 0)
        return 0.0f;
    float total = 0.0f;
    for (int i = 0; i < n; i++)
        total += values[i];
    return total;
}

/*
 * Luminance histogram of n RGBA pixels: bin v counts the pixels whose luma (77 R + 150 G + 29 B) >> 8 is v,
 * alpha ignored. The 256 bins are counted in a malloc'd block, handed to the host's env.host_histogram(bins,
 * 256) and freed after it returns. Returns the most frequent luma (the lowest on a tie), or -1 for n <= 0,
 * when the host is not called. If the bins cannot be allocated the module aborts (a wasm trap).
 */
int luma_histogram(const uint8_t *rgba, int n)
{
    if (rgba == NULL || n <= 0)
        return -1;
    if ((size_t)n > SIZE_MAX / 4)
        abort();
    uint32_t *bins = calloc(256, sizeof(uint32_t));
    if (bins == NULL)
        abort();

    for (size_t i = 0; i < (size_t)n; i++) {
        const uint8_t *pixel = rgba + 4 * i;
        bins[(77u * pixel[0] + 150u * pixel[1] + 29u * pixel[2]) >> 8]++;
    }

    int mode = 0;
    for (int v = 1; v < 256; v++) {
        if (bins[v] > bins[mode])
            mode = v;
    }

    host_histogram(bins, 256);
    free(bins);
    return mode;
}
