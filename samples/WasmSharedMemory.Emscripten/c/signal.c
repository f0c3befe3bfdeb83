/*
 * A small signal-processing module built by Debian's emscripten (emcc) as a standalone reactor, not by our
 * Rust toolchain. It exists to show that WasmSharedMemory loads what emscripten emits: a module whose C
 * constructors run only when the host calls the exported _initialize, whose malloc grows memory and then
 * tells the host through env.emscripten_notify_memory_growth, and which calls a host function that reads
 * a string out of its memory.
 *
 * Contract (the C one): malloc(size) -> ptr or 0, free(ptr). Every kernel takes buffers the host allocated
 * and trusts the host for their length; a count <= 0 is a no-op so a bad count never walks memory.
 * Exports and imports: see build.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* A host function: UTF-8 text, not terminated, valid only during the call. */
__attribute__((import_module("env"), import_name("host_log")))
void host_log(const char *message, int byte_length);

/* Filled by a C constructor, which in a reactor runs only from _initialize. */
static uint32_t crc_table[256];
static int constructor_runs;

__attribute__((constructor))
static void build_crc_table(void)
{
    /* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum of zlib, PNG and Ethernet. */
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    constructor_runs++;
}

/* How many times the constructor ran: 1 once the host has called _initialize, 0 if it never did. */
int initialized(void)
{
    return constructor_runs;
}

/*
 * CRC-32 of n bytes (0 for n <= 0), through the constructor's table. Without _initialize the table is all
 * zeros and the result no longer depends on the bytes (0xFFFFFFFF for n >= 4), which is how a host test can
 * tell that _initialize ran.
 */
uint32_t crc32(const uint8_t *data, int n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (int i = 0; i < n; i++)
        c = crc_table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* Multiplies n floats by g, in place. */
void gain(float *x, int n, float g)
{
    for (int i = 0; i < n; i++)
        x[i] *= g;
}

/*
 * Root mean square of n floats: squares summed left to right in single precision, divided by n, square root;
 * 0 for n <= 0. Single precision at every step so a host can reproduce it bit for bit.
 */
float rms(const float *x, int n)
{
    if (n <= 0)
        return 0.0f;
    float total = 0.0f;
    for (int i = 0; i < n; i++)
        total += x[i] * x[i];
    return __builtin_sqrtf(total / (float)n);
}

/*
 * FIR filter: y[i] = taps[0] * x[i] + taps[1] * x[i - 1] + ... + taps[ntaps - 1] * x[i - ntaps + 1], with
 * x[j] = 0 for j < 0, summed in that order in single precision. y must not overlap x. ntaps <= 0 zeroes y.
 */
void fir(const float *x, float *y, int n, const float *taps, int ntaps)
{
    for (int i = 0; i < n; i++) {
        float acc = 0.0f;
        for (int k = 0; k < ntaps && k <= i; k++)
            acc += taps[k] * x[i - k];
        y[i] = acc;
    }
}

/* Converts n signed 16-bit samples to floats in [-1, 1): out[i] = pcm[i] / 32768. out must not overlap pcm. */
void pcm16_to_float(const int16_t *pcm, float *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (float)pcm[i] * (1.0f / 32768.0f);
}

/* Writes the decimal digits of value (>= 0) at p and returns the position after them. */
static char *put_uint(char *p, int value)
{
    char digits[10];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (count > 0)
        *p++ = digits[--count];
    return p;
}

static char *put_text(char *p, const char *text)
{
    while (*text)
        *p++ = *text++;
    return p;
}

/*
 * Clamps n floats to [-limit, limit] in place and returns how many it changed; NaNs are left alone and not
 * counted. Then logs "clip: <n> samples → <count> clamped" (UTF-8, the arrow is 3 bytes) through host_log.
 * A limit that is negative or NaN changes nothing, logs nothing and returns -1; n <= 0 logs with n = 0.
 */
int clip(float *x, int n, float limit)
{
    if (!(limit >= 0.0f))
        return -1;
    if (n < 0)
        n = 0;
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (x[i] > limit) {
            x[i] = limit;
            count++;
        } else if (x[i] < -limit) {
            x[i] = -limit;
            count++;
        }
    }

    /* "clip: " + 10 digits + " samples \xe2\x86\x92 " + 10 digits + " clamped" fits easily. */
    char message[64];
    char *p = put_text(message, "clip: ");
    p = put_uint(p, n);
    p = put_text(p, " samples \xe2\x86\x92 ");
    p = put_uint(p, count);
    p = put_text(p, " clamped");
    host_log(message, (int)(p - message));
    return count;
}

/* The block grow_heap keeps, so memory stays grown until the host asks for a different size. */
static void *ballast;

/*
 * Frees the block the previous call kept, then mallocs bytes and keeps that block, so a large request makes
 * malloc grow memory (and call env.emscripten_notify_memory_growth). Returns the memory size in 64 KiB pages
 * afterwards, or -1 if malloc failed (then nothing is kept). grow_heap(0) releases the block.
 */
int grow_heap(int bytes)
{
    free(ballast);
    ballast = NULL;
    if (bytes < 0)
        return -1;
    if (bytes > 0) {
        ballast = malloc((size_t)bytes);
        if (ballast == NULL)
            return -1;
        /* Touch both ends so the block is really there. */
        ((volatile uint8_t *)ballast)[0] = 1;
        ((volatile uint8_t *)ballast)[bytes - 1] = 1;
    }
    return (int)__builtin_wasm_memory_size(0);
}
