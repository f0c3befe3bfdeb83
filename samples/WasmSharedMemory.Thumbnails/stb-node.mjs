// stb.wasm from JavaScript, shared by check.mjs and benchmarks/stb (not a test file itself): instantiate it
// with the three WASI functions it imports, run _initialize as a host must for a reactor, and call its exports
// exactly as the .NET sample does.
import { readFile } from 'node:fs/promises';

export const wasmUrl = new URL('./stb.wasm', import.meta.url);

const WASI_ESUCCESS = 0;
const WASI_EBADF = 8;
const WASI_ESPIPE = 70;

// The largest side of a thumbnail; the other side keeps the aspect ratio, rounded half up, at least 1. The .NET
// sample computes the same in integers, so both sides agree on every size.
export const THUMBNAIL_SIDE = 256;
export function thumbnailSize(width, height) {
  if (width <= THUMBNAIL_SIDE && height <= THUMBNAIL_SIDE) return { width, height };
  return width >= height
    ? { width: THUMBNAIL_SIDE, height: Math.max(1, Math.floor((height * THUMBNAIL_SIDE + Math.floor(width / 2)) / width)) }
    : { width: Math.max(1, Math.floor((width * THUMBNAIL_SIDE + Math.floor(height / 2)) / height)), height: THUMBNAIL_SIDE };
}

let compiled;

// A fresh instance of stb.wasm. WASI preview 1 as the .NET host defines it with nothing granted, reduced to
// what the module imports: fd_write to stdout or stderr is kept in `output` (stb's failed asserts print there
// before they abort), every other descriptor is bad, nothing is seekable and close does nothing.
export async function instantiateStb() {
  compiled ??= await WebAssembly.compile(await readFile(wasmUrl));
  let memory;
  const output = [];
  const wasi_snapshot_preview1 = {
    fd_write(fd, iovs, iovsLength, writtenPtr) {
      if (fd !== 1 && fd !== 2) return WASI_EBADF;
      const view = new DataView(memory.buffer);
      let written = 0;
      for (let i = 0; i < iovsLength; i++) {
        const ptr = view.getUint32(iovs + 8 * i, true);
        const length = view.getUint32(iovs + 8 * i + 4, true);
        output.push(new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, length)));
        written += length;
      }
      view.setUint32(writtenPtr, written, true);
      return WASI_ESUCCESS;
    },
    fd_seek: () => WASI_ESPIPE,
    fd_close: () => WASI_ESUCCESS,
  };
  const instance = await WebAssembly.instantiate(compiled, { wasi_snapshot_preview1 });
  memory = instance.exports.memory;
  instance.exports._initialize();
  return new Stb(instance.exports, output);
}

// The exports with the bookkeeping of pointers and out-parameters done once. Views are made on demand:
// memory.grow (inside malloc) detaches every typed array made before it.
export class Stb {
  constructor(exports, output) {
    this.exports = exports;
    this.output = output;
    this.outs = exports.malloc(16); // int x, y, channels; int out_len: stb's out-parameters
  }

  get memory() { return this.exports.memory; }
  bytes(ptr, length) { return new Uint8Array(this.memory.buffer, ptr, length); }
  int(index) { return new Int32Array(this.memory.buffer, this.outs, 4)[index]; }

  // Copies bytes into a block from malloc, as the .NET sample streams a file into a WasmBuffer<byte>.
  copyIn(bytes) {
    const ptr = this.exports.malloc(Math.max(1, bytes.length));
    if (ptr === 0) throw new Error(`malloc(${bytes.length}) failed`);
    this.bytes(ptr, bytes.length).set(bytes);
    return ptr;
  }

  failureReason() {
    const ptr = this.exports.stbi_failure_reason();
    if (ptr === 0) return null;
    const bytes = new Uint8Array(this.memory.buffer, ptr);
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  }

  // stbi_info_from_memory(buffer, len, &x, &y, &comp) -> 1 or 0.
  info(ptr, length) {
    const ok = this.exports.stbi_info_from_memory(ptr, length, this.outs, this.outs + 4, this.outs + 8);
    return ok ? { width: this.int(0), height: this.int(1), channels: this.int(2) } : null;
  }

  // stbi_load_from_memory(buffer, len, &x, &y, &channels_in_file, desired_channels) -> malloc'ed pixels or 0.
  // The block holds width * height * (desired || channels_in_file) bytes.
  load(ptr, length, desiredChannels = 0) {
    const pixels = this.exports.stbi_load_from_memory(ptr, length, this.outs, this.outs + 4, this.outs + 8, desiredChannels);
    if (pixels === 0) return null;
    const [width, height, channelsInFile] = [this.int(0), this.int(1), this.int(2)];
    return { pixels, width, height, channelsInFile, channels: desiredChannels || channelsInFile };
  }

  // stbir_resize_uint8(in, w, h, stride 0 = packed, out, w, h, stride, channels) -> 1 or 0, into a new block.
  resize(image, width, height) {
    const out = this.exports.malloc(width * height * image.channels);
    const ok = this.exports.stbir_resize_uint8(image.pixels, image.width, image.height, 0, out, width, height, 0, image.channels);
    if (!ok) throw new Error(`stbir_resize_uint8 failed for ${width}x${height}`);
    return { pixels: out, width, height, channels: image.channels };
  }

  // stbi_write_png_to_mem(pixels, stride, w, h, n, &out_len) -> malloc'ed PNG of out_len bytes, or 0.
  writePng(image) {
    const png = this.exports.stbi_write_png_to_mem(image.pixels, image.width * image.channels, image.width, image.height,
      image.channels, this.outs + 12);
    if (png === 0) throw new Error('stbi_write_png_to_mem failed');
    return { ptr: png, length: this.int(3) };
  }

  free(ptr) { this.exports.free(ptr); }
}
