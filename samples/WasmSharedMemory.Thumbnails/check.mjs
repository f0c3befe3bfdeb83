// Proves stb.wasm (stb from Debian's libstb-dev, built by c/build.sh) on its own, before any .NET host, and
// writes what the .NET sample compares its pixels with. For each image images.sh generates: decode it with
// stbi_load_from_memory and compare with ImageMagick's own decoder (libjpeg, libpng), resize it to a thumbnail
// with stbir_resize_uint8, encode the thumbnail with stbi_write_png_to_mem and decode that PNG with both stb
// and ImageMagick. Then out/node/ gets each thumbnail's pixels and a manifest of hashes.
// Run: node --test samples/WasmSharedMemory.Thumbnails/check.mjs (runs images.sh first if images/ is missing)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateStb, thumbnailSize, wasmUrl } from './stb-node.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const convert = '/usr/bin/convert';

// name, what ImageMagick wrote, and how far stb's decode may be from ImageMagick's: PNG is lossless, so 8-bit
// files decode identically; a 16-bit sample is cut to 8 bits by stb (v >> 8) but rounded by ImageMagick
// (v / 257), so 1 apart; a JPEG's IDCT and chroma upsampling differ between decoders by a few levels.
const images = [
  { name: 'photo.jpg', channels: 3, maxDiff: 4, meanDiff: 0.25 },
  { name: 'progressive.jpg', channels: 3, maxDiff: 4, meanDiff: 0.25 },
  { name: 'gray.jpg', channels: 1, maxDiff: 2, meanDiff: 0.05 },
  { name: 'rgba.png', channels: 4, maxDiff: 0, meanDiff: 0 },
  { name: 'palette.png', channels: 3, maxDiff: 0, meanDiff: 0 },
  { name: 'gray16.png', channels: 1, maxDiff: 1, meanDiff: 1 },
  { name: 'flat.png', channels: 3, maxDiff: 0, meanDiff: 0 },
  { name: 'tiny.png', channels: 4, maxDiff: 0, meanDiff: 0 },
];

if (images.some(({ name }) => !existsSync(here(`./images/${name}`)))) {
  execFileSync('bash', [here('./images.sh')], { stdio: 'inherit' });
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// ImageMagick's decode of a file (or of PNG bytes on stdin) as 8-bit RGBA.
const imageMagickRgba = (input, bytes) =>
  execFileSync(convert, [input, '-depth', '8', 'rgba:-'], { input: bytes, maxBuffer: 1 << 26 });

// Widens 1 to 4 channels as stb does for desired_channels = 4: grey into R, G and B, alpha opaque.
function toRgba(pixels, channels) {
  if (channels === 4) return pixels;
  const n = pixels.length / channels;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const [r, g, b, a] = channels === 1 ? [pixels[i], pixels[i], pixels[i], 255]
      : channels === 2 ? [pixels[2 * i], pixels[2 * i], pixels[2 * i], pixels[2 * i + 1]]
      : [pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2], 255];
    out.set([r, g, b, a], 4 * i);
  }
  return out;
}

function difference(a, b) {
  assert.equal(a.length, b.length, 'same number of bytes');
  let max = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    total += d;
  }
  return { max, mean: total / a.length };
}

const channelMeans = (pixels, channels) => {
  const sums = new Array(channels).fill(0);
  for (let i = 0; i < pixels.length; i++) sums[i % channels] += pixels[i];
  return sums.map((s) => s / (pixels.length / channels));
};

// One image through the sample's whole path, with every block freed before returning.
async function thumbnail(stb, bytes) {
  const file = stb.copyIn(bytes);
  try {
    const info = stb.info(file, bytes.length);
    const image = stb.load(file, bytes.length);
    assert.ok(image, `stbi_load_from_memory failed: ${stb.failureReason()}`);
    try {
      const decoded = stb.bytes(image.pixels, image.width * image.height * image.channels).slice();
      const size = thumbnailSize(image.width, image.height);
      const thumb = stb.resize(image, size.width, size.height);
      try {
        const pixels = stb.bytes(thumb.pixels, size.width * size.height * thumb.channels).slice();
        const png = stb.writePng(thumb);
        const pngBytes = stb.bytes(png.ptr, png.length).slice();
        stb.free(png.ptr);
        return { info, image: { ...image, pixels: decoded }, thumb: { ...thumb, pixels }, png: pngBytes };
      } finally {
        stb.free(thumb.pixels);
      }
    } finally {
      stb.exports.stbi_image_free(image.pixels);
    }
  } finally {
    stb.free(file);
  }
}

test('exports stb\'s functions with the C allocator contract, and imports only wasi-libc\'s stderr', async () => {
  const module = await WebAssembly.compile(readFileSync(wasmUrl));
  const exports = WebAssembly.Module.exports(module).map(({ name, kind }) => `${kind} ${name}`).sort();
  assert.deepEqual(exports, [
    'function _initialize', 'function free', 'function malloc', 'function stbi_failure_reason', 'function stbi_image_free',
    'function stbi_info_from_memory', 'function stbi_load_from_memory', 'function stbi_write_png_to_mem',
    'function stbir_resize_uint8', 'memory memory',
  ]);
  const imports = WebAssembly.Module.imports(module).map(({ module: m, name }) => `${m}.${name}`).sort();
  assert.deepEqual(imports, ['wasi_snapshot_preview1.fd_close', 'wasi_snapshot_preview1.fd_seek', 'wasi_snapshot_preview1.fd_write']);
});

const results = new Map();

for (const expected of images) {
  test(`${expected.name}: stb decodes what ImageMagick decodes, and its thumbnail round-trips through its PNG`, async () => {
    const stb = await instantiateStb();
    const path = here(`./images/${expected.name}`);
    const bytes = readFileSync(path);
    const result = await thumbnail(stb, bytes);
    const { info, image, thumb, png } = result;

    const reference = imageMagickRgba(path);
    assert.deepEqual(info, { width: image.width, height: image.height, channels: image.channelsInFile });
    assert.equal(reference.length, image.width * image.height * 4, 'ImageMagick sees the same size');
    assert.equal(image.channels, expected.channels, 'channels in the file');
    const diff = difference(toRgba(image.pixels, image.channels), reference);
    assert.ok(diff.max <= expected.maxDiff && diff.mean <= expected.meanDiff,
      `decode differs from ImageMagick's by up to ${diff.max}, ${diff.mean.toFixed(3)} on average`);

    // Resizing keeps each channel's average (a flat image stays exactly flat).
    const before = channelMeans(image.pixels, image.channels);
    const after = channelMeans(thumb.pixels, thumb.channels);
    before.forEach((mean, c) => assert.ok(Math.abs(mean - after[c]) <= 1.5, `channel ${c}: mean ${mean} became ${after[c]}`));
    if (expected.name === 'flat.png') assert.ok(thumb.pixels.every((v, i) => v === [200, 120, 40][i % 3]));

    // The PNG stb wrote is one both decoders read back to the thumbnail's exact pixels.
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(imageMagickRgba('png:-', png), Buffer.from(toRgba(thumb.pixels, thumb.channels)));
    const again = stb.copyIn(png);
    const reread = stb.load(again, png.length);
    assert.deepEqual(stb.bytes(reread.pixels, thumb.pixels.length), thumb.pixels);
    stb.exports.stbi_image_free(reread.pixels);
    stb.free(again);
    assert.deepEqual(stb.output, [], 'nothing written to stderr');
    results.set(expected.name, result);
  });
}

test('a file stb cannot read fails with a reason, and leaves nothing allocated', async () => {
  const stb = await instantiateStb();
  const probe = stb.exports.malloc(64);
  stb.free(probe);
  for (const [what, bytes] of [
    ['text', new TextEncoder().encode('not an image at all, just text')],
    ['a JPEG cut after 2 bytes', readFileSync(here('./images/photo.jpg')).subarray(0, 2)],
    ['a PNG cut inside its header', readFileSync(here('./images/rgba.png')).subarray(0, 16)],
  ]) {
    const ptr = stb.copyIn(bytes);
    assert.equal(stb.info(ptr, bytes.length), null, what);
    assert.equal(stb.load(ptr, bytes.length, 4), null, what);
    assert.ok(stb.failureReason()?.length > 0, `stbi_failure_reason names why ${what} failed`);
    stb.free(ptr);
  }
  assert.equal(stb.exports.malloc(64), probe, 'the heap is as it was');
});

test('decoding, resizing and encoding 300 times frees every block', async () => {
  const stb = await instantiateStb();
  const bytes = readFileSync(here('./images/flat.png'));
  await thumbnail(stb, bytes);
  const memoryBytes = stb.memory.buffer.byteLength;
  const probe = stb.exports.malloc(16);
  stb.free(probe);
  for (let i = 0; i < 300; i++) await thumbnail(stb, bytes);
  assert.equal(stb.memory.buffer.byteLength, memoryBytes, 'memory did not grow');
  assert.equal(stb.exports.malloc(16), probe, 'the heap is as it was');
});

// Last: what the .NET sample compares with. Each thumbnail's pixels as they lie in memory (width * height *
// channels bytes, rows top to bottom), and a manifest of every size and hash.
test('writes the thumbnails and the manifest the .NET sample compares with', () => {
  assert.equal(results.size, images.length, 'every image passed');
  const dir = here('./out/node');
  mkdirSync(dir, { recursive: true });
  const manifest = {};
  for (const [name, { image, thumb, png }] of results) {
    writeFileSync(`${dir}/${name}.pixels`, thumb.pixels);
    manifest[name] = {
      width: image.width, height: image.height, channels: image.channels, decodedSha256: sha256(image.pixels),
      thumbnailWidth: thumb.width, thumbnailHeight: thumb.height, thumbnailSha256: sha256(thumb.pixels),
      pngLength: png.length, pngSha256: sha256(png),
    };
  }
  writeFileSync(`${dir}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
});
