// Proves the host_calls fixture (rust/fixtures/host_calls, built by rust/build.sh into the test project) on its
// own, before the .NET tests: instantiate it with JavaScript host imports, allocate with its wasm-bindgen-style
// allocator, and check that each export calls the host as its documentation says. Run: node --test rust/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const wasm = await WebAssembly.compile(
  await readFile(new URL('../../tests/WasmSharedMemory.Tests/Modules/host_calls.wasm', import.meta.url)));

async function instantiate({ transform = (x) => x * 2 } = {}) {
  const logs = [];
  const transformed = [];
  let memory;
  const env = {
    host_transform(x) {
      transformed.push(x);
      return transform(x);
    },
    host_log(ptr, len) {
      logs.push({ ptr, text: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(memory.buffer, ptr, len)) });
    },
  };
  const { exports } = await WebAssembly.instantiate(wasm, { env });
  memory = exports.memory;
  return { ...exports, logs, transformed };
}

test('imports env.host_transform and env.host_log, and exports wasm-bindgen\'s allocator and the two kernels', () => {
  const imports = WebAssembly.Module.imports(wasm).map(({ module, name, kind }) => `${kind} ${module}.${name}`).sort();
  assert.deepEqual(imports, ['function env.host_log', 'function env.host_transform']);
  const functions = WebAssembly.Module.exports(wasm).filter(({ kind }) => kind === 'function').map(({ name }) => name).sort();
  assert.deepEqual(functions, ['__wbindgen_free', '__wbindgen_malloc', 'log_sum', 'transform_f32']);
});

test('transform_f32 calls the host once per element, in order, and stores its results', async () => {
  const { memory, __wbindgen_malloc, __wbindgen_free, transform_f32, transformed } = await instantiate({ transform: (x) => x * 3 - 1 });
  const n = 100;
  const ptr = __wbindgen_malloc((n + 1) * 4, 4);
  assert.equal(ptr % 4, 0);
  const input = Float32Array.from({ length: n }, (_, i) => i / 4 - 7);
  new Float32Array(memory.buffer, ptr, n + 1).set([...input, 42]);

  transform_f32(ptr, n);

  assert.deepEqual(transformed, Array.from(input));
  assert.deepEqual(new Float32Array(memory.buffer, ptr, n), input.map((x) => Math.fround(x * 3 - 1)));
  assert.equal(new Float32Array(memory.buffer, ptr + n * 4, 1)[0], 42, 'the canary is untouched');
  transform_f32(ptr, 0);
  assert.equal(transformed.length, n, 'len 0 calls the host not at all');
  __wbindgen_free(ptr, (n + 1) * 4, 4);
});

for (const values of [[], [1], [2147483647, 2147483647, 2147483647], [-2147483648, -2147483648, 5], [0, -1, 1]]) {
  test(`log_sum of [${values}] logs its i64 sum as UTF-8 through env.host_log and returns it`, async () => {
    const { memory, __wbindgen_malloc, __wbindgen_free, log_sum, logs } = await instantiate();
    const ptr = __wbindgen_malloc(Math.max(values.length, 1) * 4, 4);
    new Int32Array(memory.buffer, ptr, values.length).set(values);
    const sum = values.reduce((total, v) => total + BigInt(v), 0n);

    assert.equal(log_sum(ptr, values.length), sum);

    assert.equal(logs.length, 1);
    assert.equal(logs[0].text, `sum of ${values.length} values: ${sum}`);
    assert.notEqual(logs[0].ptr, ptr, 'the text is a block of the module\'s heap');
    __wbindgen_free(ptr, Math.max(values.length, 1) * 4, 4);
  });
}
