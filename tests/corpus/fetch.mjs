// Brings every module of manifest.json to artifacts/corpus/<id>/: `npm pack <package>@<version>` (npm's own cache
// keeps the tarball between runs), the whole package extracted to artifacts/corpus/<id>/package/ (the Node
// reference imports the package's JavaScript from there), and the entry's .wasm checked against its SHA-256.
// A module already there with the right hash is not fetched again. A module shipped only as base64 inside the
// package's JavaScript ("embedded") is decoded to the entry's "wasm" path and checked the same way. Exits 1, naming the module, on any mismatch.
//
//   node tests/corpus/fetch.mjs            fetch what is missing
//   node tests/corpus/fetch.mjs --print    print id, package@version and the wasm's path, one module a line
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(root, 'artifacts', 'corpus');
const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8'));

const sha256 = file => createHash('sha256').update(readFileSync(file)).digest('hex');

function fetchPackage(spec, destination) {
  const work = mkdtempSync(join(tmpdir(), 'wsm-corpus-'));
  try {
    const name = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', join(work, name), '-C', work]);
    rmSync(destination, { recursive: true, force: true });
    mkdirSync(dirname(destination), { recursive: true });
    renameSync(join(work, 'package'), destination);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

mkdirSync(out, { recursive: true });
let failed = 0;
for (const m of manifest.modules) {
  if (m.excluded) continue;
  const dir = join(out, m.id);
  const wasm = join(dir, 'package', m.wasm);
  if (process.argv.includes('--print')) {
    console.log(`${m.id}\t${m.package}@${m.version}\t${wasm}`);
    continue;
  }
  if (existsSync(wasm) && sha256(wasm) === m.sha256) continue;
  try {
    fetchPackage(`${m.package}@${m.version}`, join(dir, 'package'));
    // Packages whose JavaScript needs another published package (a dependency) name it in "with".
    for (const extra of m.with ?? []) {
      const at = extra.lastIndexOf('@');
      fetchPackage(extra, join(dir, 'node_modules', extra.slice(0, at)));
    }
  } catch (e) {
    console.error(`corpus: ${m.id}: npm pack ${m.package}@${m.version} failed: ${e.message}`);
    failed++;
    continue;
  }
  // A package that ships its module only as bytes inside its JavaScript names them in "embedded": the file and a
  // regular expression whose first group is the base64; the bytes are written to the entry's "wasm" path, as they
  // are, and checked against the same SHA-256.
  if (m.embedded) {
    const source = readFileSync(join(dir, 'package', m.embedded.file), 'utf8');
    const match = source.match(new RegExp(m.embedded.base64));
    if (match) writeFileSync(wasm, Buffer.from(match[1], 'base64'));
  }
  const actual = existsSync(wasm) ? sha256(wasm) : 'missing';
  if (actual !== m.sha256) {
    console.error(`corpus: ${m.id}: ${m.package}@${m.version} ${m.wasm} has SHA-256 ${actual}, the manifest says ${m.sha256}`);
    failed++;
    continue;
  }
  writeFileSync(join(dir, 'fetched'), `${m.package}@${m.version} ${m.sha256}\n`);
  console.log(`corpus: ${m.id}: ${m.package}@${m.version} ${m.wasm} ok`);
}
process.exit(failed ? 1 : 0);
