// Proves scale.wasm (built from assembly/scale.ts by assembly/build.sh) on its own, before any .NET host:
// instantiate it with JavaScript host imports, allocate with its own runtime (__new + __pin, __unpin to
// release), fill the blocks through typed arrays over its memory, run each export and compare with a
// JavaScript reference. Run: node --test samples/WasmSharedMemory.AssemblyScript/check.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { view, numbers } from '../check-support.mjs';

const wasm = await WebAssembly.compile(await readFile(new URL('./scale.wasm', import.meta.url)));
const source = await readFile(new URL('./assembly/scale.ts', import.meta.url), 'utf8');

// Where a `throw` in scale.ts reports itself: abort gets the 1-based line and column of the throw keyword.
function throwSite(text) {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `scale.ts has no line with ${text}`);
  return { fileName: 'assembly/scale.ts', line: index + 1, column: lines[index].indexOf('throw') + 1 };
}
const negativeLengthSite = throwSite('throw new Error("negative length")');
const failSite = throwSite('throw new Error("fail "');

// What env.abort was called with, thrown so the export call ends with it (the module would trap anyway).
class GuestAbort extends Error {
  constructor(message, fileName, line, column) {
    super(`${message} in ${fileName}:${line}:${column}`);
    Object.assign(this, { guestMessage: message, fileName, line, column });
  }
}

// An AssemblyScript string: UTF-16LE code units at ptr, their byte length a u32 at ptr - 4; 0 is null.
function readString(memory, ptr) {
  if (ptr === 0) return null;
  const byteLength = new DataView(memory.buffer).getUint32(ptr - 4, true);
  return new TextDecoder('utf-16le').decode(new Uint8Array(memory.buffer, ptr, byteLength));
}

// A fresh instance per test, so a test that aborts on purpose leaves nothing behind. hostScale and the
// logs and scale calls are per instance too.
async function instantiate({ hostScale = (x) => x * 2 } = {}) {
  const logs = [];
  const scaleCalls = [];
  let memory;
  const env = {
    abort(message, fileName, line, column) {
      throw new GuestAbort(readString(memory, message), readString(memory, fileName), line, column);
    },
    host_log(ptr, byteLength) {
      logs.push({ ptr, text: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(memory.buffer, ptr, byteLength)) });
    },
    host_scale(x) {
      scaleCalls.push(x);
      return hostScale(x);
    },
  };
  const { exports } = await WebAssembly.instantiate(wasm, { env });
  memory = exports.memory;
  // The allocator contract: __new(size, 0) then __pin; __unpin releases.
  const alloc = (bytes) => exports.__pin(exports.__new(bytes, 0));
  return { ...exports, alloc, logs, scaleCalls };
}

// Views are made on demand (see check-support.mjs): memory.grow detaches every typed array made before it.
const f32 = view(Float32Array);
const f64 = view(Float64Array);
const i32 = view(Int32Array);
const u32 = view(Uint32Array);
const u8 = view(Uint8Array);


function assertAborts(call, site, message) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof GuestAbort, `expected env.abort, got ${error}`);
    assert.deepEqual(
      { message: error.guestMessage, fileName: error.fileName, line: error.line, column: error.column },
      { message, ...site });
    return true;
  });
}

const sizes = [0, 1, 3, 4, 15, 16, 1023, 1024];

test('imports env.abort, env.host_scale and env.host_log and nothing else', () => {
  const imports = WebAssembly.Module.imports(wasm).map(({ module, name, kind }) => `${kind} ${module}.${name}`).sort();
  assert.deepEqual(imports, ['function env.abort', 'function env.host_log', 'function env.host_scale']);
});

test('exports memory, the kernels and the AssemblyScript runtime', () => {
  const exports = WebAssembly.Module.exports(wasm).map(({ name, kind }) => `${kind} ${name}`).sort();
  assert.deepEqual(exports, [
    'function __collect', 'function __new', 'function __pin', 'function __unpin',
    'function fail', 'function greet', 'function grow', 'function histogram', 'function prefix_sum',
    'function scale', 'function scale_with_host', 'function sum',
    'global __rtti_base', 'memory memory',
  ]);
});

test('__new returns zero-filled 16-byte aligned blocks that pinning keeps through a collection', async () => {
  const { memory, __new, __pin, __unpin, __collect, alloc } = await instantiate();
  const blocks = [];
  for (const bytes of [0, 1, 4, 100, 4096, 1 << 20]) {
    const ptr = alloc(bytes);
    assert.ok(ptr > 0 && ptr % 16 === 0, `__new(${bytes}) returned ${ptr}`);
    assert.equal(new DataView(memory.buffer).getUint32(ptr - 4, true), bytes, 'the runtime records the size at ptr - 4');
    assert.ok(u8(memory, ptr, bytes).every((b) => b === 0), `__new(${bytes}) is zero-filled`);
    u8(memory, ptr, bytes).fill(bytes & 0xff || 7);
    blocks.push([ptr, bytes]);
  }
  // Unpinned garbage plus a full collection: the pinned blocks must survive untouched.
  for (let i = 0; i < 1000; i++) __new(1024, 0);
  __collect();
  for (const [ptr, bytes] of blocks) {
    assert.ok(u8(memory, ptr, bytes).every((b) => b === (bytes & 0xff || 7)), `pinned block of ${bytes} bytes survived`);
  }
  for (const [ptr] of blocks) __unpin(ptr);
  __collect();

  // Once unpinned and collected, the space is reused rather than growing memory.
  const bytes = memory.buffer.byteLength;
  for (let i = 0; i < 200; i++) {
    const ptr = __pin(__new(64 * 1024, 0));
    __unpin(ptr);
    __collect();
  }
  assert.equal(memory.buffer.byteLength, bytes, 'unpinned blocks were freed');
});

test('the runtime reports contract violations through env.abort', async () => {
  const { __new, __pin, __unpin, alloc } = await instantiate();
  const ptr = alloc(16);
  const runtime = (message) => (error) => {
    assert.ok(error instanceof GuestAbort, `expected env.abort, got ${error}`);
    assert.equal(error.guestMessage, message);
    assert.equal(error.fileName, '~lib/rt/itcms.ts');
    assert.ok(error.line > 0 && error.column > 0);
    return true;
  };
  assert.throws(() => __pin(ptr), runtime('Object already pinned'));
  __unpin(ptr);
  assert.throws(() => __unpin(ptr), runtime('Object is not pinned'));
  assert.throws(() => __new(1073741804, 0), runtime('Allocation too large'));
});

for (const n of sizes) {
  test(`scale of ${n} float32 values matches the reference and stays inside them`, async () => {
    const { memory, alloc, __unpin, scale } = await instantiate();
    const ptr = alloc((n + 1) * 4); // one canary float after the data
    const random = numbers(n);
    const input = Float32Array.from({ length: n }, () => (random.next().value % 20000 - 10000) / 37);
    f32(memory, ptr, n + 1).set([...input, -1.5]);

    scale(ptr, n, 0.75);

    assert.deepEqual(f32(memory, ptr, n), input.map((v) => Math.fround(v * 0.75)));
    assert.equal(f32(memory, ptr + n * 4, 1)[0], -1.5, 'the canary is untouched');
    __unpin(ptr);
  });
}

test('sum adds float64 values left to right in double precision', async () => {
  const { memory, alloc, __unpin, sum } = await instantiate();
  for (const n of sizes) {
    const ptr = alloc(n * 8);
    const random = numbers(n + 1);
    const values = Float64Array.from({ length: n }, () => (random.next().value % 2000 - 1000) / 7);
    f64(memory, ptr, n).set(values);
    assert.equal(sum(ptr, n), values.reduce((total, v) => total + v, 0), `sum of ${n}`);
    __unpin(ptr);
  }
});

for (const n of sizes) {
  test(`prefix_sum of ${n} int32 values wraps like int32, into a second buffer and in place`, async () => {
    const { memory, alloc, __unpin, prefix_sum } = await instantiate();
    const src = alloc(n * 4);
    const dst = alloc((n + 1) * 4);
    const random = numbers(n + 2);
    // Large values so the running sum wraps.
    const input = Int32Array.from({ length: n }, () => random.next().value | 0);
    const expected = new Int32Array(n);
    input.reduce((running, v, i) => (expected[i] = (running + v) | 0), 0);
    i32(memory, src, n).set(input);
    i32(memory, dst, n + 1).fill(-99);

    prefix_sum(src, dst, n);

    assert.deepEqual(i32(memory, dst, n), expected);
    assert.equal(i32(memory, dst + n * 4, 1)[0], -99, 'the canary after dst is untouched');
    assert.deepEqual(i32(memory, src, n), input, 'src is only read');

    prefix_sum(src, src, n);
    assert.deepEqual(i32(memory, src, n), expected, 'dst == src works in place');
    __unpin(src);
    __unpin(dst);
  });
}

test('histogram counts bytes into 256 uint32 bins, clearing them first', async () => {
  const { memory, alloc, __unpin, histogram } = await instantiate();
  for (const n of [...sizes, 100000]) {
    const src = alloc(n);
    const bins = alloc(256 * 4);
    const random = numbers(n + 3);
    const bytes = Uint8Array.from({ length: n }, () => random.next().value >>> 24);
    u8(memory, src, n).set(bytes);
    u32(memory, bins, 256).fill(12345); // garbage the kernel must clear
    const expected = new Uint32Array(256);
    for (const b of bytes) expected[b]++;

    histogram(src, n, bins);

    assert.deepEqual(u32(memory, bins, 256), expected, `histogram of ${n}`);
    __unpin(src);
    __unpin(bins);
  }
});

test('scale_with_host calls env.host_scale once per element, in order, and stores its results', async () => {
  const { memory, alloc, __unpin, scale_with_host, scaleCalls } = await instantiate({ hostScale: (x) => x * 3 + 1 });
  const n = 37;
  const ptr = alloc((n + 1) * 4);
  const input = Float32Array.from({ length: n }, (_, i) => i / 3 - 5);
  f32(memory, ptr, n + 1).set([...input, 42]);

  scale_with_host(ptr, n);

  assert.deepEqual(scaleCalls, Array.from(input));
  assert.deepEqual(f32(memory, ptr, n), input.map((x) => Math.fround(x * 3 + 1)));
  assert.equal(f32(memory, ptr + n * 4, 1)[0], 42);
  scale_with_host(ptr, 0);
  assert.equal(scaleCalls.length, n, 'n = 0 calls the host not at all');
  __unpin(ptr);
});

for (const name of ['world', '', 'Wörld ✓', 'emoji 🦀 and 中文', 'x'.repeat(5000)]) {
  test(`greet(${JSON.stringify(name.length > 20 ? name.slice(0, 20) + '…' : name)}) logs "hello, <name>!" as UTF-8 through env.host_log`, async () => {
    const { memory, alloc, __unpin, greet, logs } = await instantiate();
    const utf8 = new TextEncoder().encode(name);
    const ptr = alloc(utf8.length);
    u8(memory, ptr, utf8.length).set(utf8);

    const byteLength = greet(ptr, utf8.length);

    const expected = `hello, ${name}!`;
    assert.equal(logs.length, 1);
    assert.equal(logs[0].text, expected);
    assert.equal(byteLength, new TextEncoder().encode(expected).length, 'greet returns the byte length it logged');
    assert.notEqual(logs[0].ptr, ptr, 'the message is in a block of the module, not the host\'s');
    __unpin(ptr);
  });
}

test('greet allocates garbage the GC reclaims while the host keeps its pinned buffers', async () => {
  const { memory, alloc, __unpin, greet, logs } = await instantiate();
  const data = alloc(4096);
  const random = numbers(9);
  const content = Uint8Array.from({ length: 4096 }, () => random.next().value >>> 24);
  u8(memory, data, 4096).set(content);
  const name = new TextEncoder().encode('y'.repeat(2000));
  const namePtr = alloc(name.length);
  u8(memory, namePtr, name.length).set(name);

  for (let i = 0; i < 3000; i++) greet(namePtr, name.length); // about 24 MB of strings, mostly garbage
  assert.equal(logs.length, 3000);
  assert.ok(memory.buffer.byteLength < 8 << 20, `memory stayed small (${memory.buffer.byteLength} bytes): the GC ran`);
  assert.deepEqual(u8(memory, data, 4096), content, 'the pinned buffer survived every collection');
  __unpin(data);
  __unpin(namePtr);
});

for (const kernel of ['scale', 'sum', 'prefix_sum', 'histogram', 'scale_with_host', 'greet']) {
  test(`${kernel} with a negative length calls env.abort("negative length", "assembly/scale.ts", line, column)`, async () => {
    const exports = await instantiate();
    const ptr = exports.alloc(1024);
    const args = { scale: [ptr, -1, 2], sum: [ptr, -1], prefix_sum: [ptr, ptr, -1], histogram: [ptr, -1, ptr],
                   scale_with_host: [ptr, -1], greet: [ptr, -1] }[kernel];
    assertAborts(() => exports[kernel](...args), negativeLengthSite, 'negative length');
    assert.equal(exports.logs.length + exports.scaleCalls.length, 0, 'nothing reached the host before the abort');
  });
}

test('fail(code) calls env.abort("fail <code>", ...) and, if abort returns, traps', async () => {
  const exports = await instantiate();
  for (const code of [0, 42, -7, 2147483647]) {
    assertAborts(() => exports.fail(code), failSite, `fail ${code}`);
  }
  // A host whose abort returns still gets no result: the module executes unreachable after the call.
  let called = 0;
  const { exports: quiet } = await WebAssembly.instantiate(wasm, {
    env: { abort: () => { called++; }, host_log() {}, host_scale: (x) => x },
  });
  assert.throws(() => quiet.fail(1), WebAssembly.RuntimeError);
  assert.equal(called, 1);
});

test('grow adds pages under a held buffer without moving it, and returns -1 when it cannot', async () => {
  const { memory, alloc, __unpin, grow, scale } = await instantiate();
  const n = 256;
  const ptr = alloc(n * 4);
  const before = f32(memory, ptr, n);
  before.set(Float32Array.from({ length: n }, (_, i) => i));
  const pages = memory.buffer.byteLength / 65536;

  assert.equal(grow(3), pages, 'grow returns the previous size in pages');
  assert.equal(memory.buffer.byteLength, (pages + 3) * 65536);
  assert.equal(before.length, 0, 'a view made before the growth is detached');
  assert.deepEqual(f32(memory, ptr, n), Float32Array.from({ length: n }, (_, i) => i), 'the data stays at its address');
  assert.equal(grow(0), pages + 3);

  scale(ptr, n, 2); // the allocator and kernels still work after a growth they did not ask for
  assert.deepEqual(f32(memory, ptr, n), Float32Array.from({ length: n }, (_, i) => i * 2));
  const big = alloc(1 << 20);
  assert.ok(big > 0 && big % 16 === 0);

  const bytes = memory.buffer.byteLength;
  assert.equal(grow(65536), -1, '4 GiB more cannot fit in a 32-bit memory');
  assert.equal(memory.buffer.byteLength, bytes, 'a failed grow changes nothing');
  __unpin(ptr);
  __unpin(big);
});
