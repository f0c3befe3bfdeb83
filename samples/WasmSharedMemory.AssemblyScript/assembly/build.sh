#!/usr/bin/env bash
# Builds scale.ts into ../scale.wasm with the AssemblyScript compiler: a module from a real toolchain with its
# own garbage-collected runtime, whose allocator contract the host must follow. scale.wasm is committed so
# `dotnet run` never needs Node, so it must be reproducible: the compiler comes from npm at the exact version
# package-lock.json pins (npm ci, into the gitignored assembly/node_modules), and `--check` rebuilds and
# compares byte for byte.
#
#   assembly/build.sh          rebuild samples/WasmSharedMemory.AssemblyScript/scale.wasm
#   assembly/build.sh --check  rebuild into a temporary folder; fail, naming the file, on any difference
#
# Compiler: assemblyscript 0.27.37 (bundles binaryen 116.0.0-nightly.20240114), run by Node >= 18.
# Flags: -O3 --noAssert --runtime incremental --exportRuntime. asc runs from the sample folder on the relative
# path assembly/scale.ts, so abort's file name is "assembly/scale.ts" and no machine path reaches the bytes.
#
# Allocator contract (exported by --exportRuntime):
#   __new(size: i32, classId: i32) -> ptr   zero-filled, 16-byte aligned; use classId 0 (Object) or 1
#                                           (ArrayBuffer): neither has fields for the GC to trace
#   __pin(ptr) -> ptr                       keeps ptr alive while only the host holds it; pin right after __new
#   __unpin(ptr)                            the block becomes garbage; the GC frees it on a later __new or __collect
#   __collect()                             runs a full collection now
#   __rtti_base                             an exported i32 global (the runtime's type table), not needed to share buffers
# __new(size >= 1073741804) aborts "Allocation too large"; __pin of a pinned block aborts "Object already
# pinned"; __unpin of an unpinned block aborts "Object is not pinned". If memory cannot grow, __new traps
# (unreachable) without calling abort.
#
# Imports, all from "env" (`wasm-objdump -x -j Import scale.wasm`):
#   abort(message: i32, fileName: i32, line: i32, column: i32) -> nil
#       Called by `throw` and by the runtime, then the module executes `unreachable`, so the call traps
#       whatever abort does; a host should throw from it to report the message. message and fileName are
#       AssemblyScript strings (or 0 for none): UTF-16LE code units at ptr, their byte length a u32 at ptr - 4.
#   host_scale(x: f32) -> f32          used by scale_with_host, once per element
#   host_log(ptr: i32, byteLength: i32) -> nil
#       UTF-8 text (no terminator) in the module's memory, valid only during the call; used by greet.
# No env.trace or env.seed: the module uses neither trace() nor Math.random. No WASI.
#
# Exports: memory (1 page initially, no maximum), the runtime above, and the kernels scale, sum, prefix_sum,
# histogram, scale_with_host, greet, fail, grow; scale.ts documents each. No _initialize: the module's start
# function (the runtime's set-up) runs during instantiation and calls no import.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
out_dir=$(cd "$here/.." && pwd)
module=scale.wasm

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: assembly/build.sh [--check]" >&2; exit 2 ;;
esac

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install "Debian's nodejs and npm" nodejs npm
fi

# npm ci installs exactly what package-lock.json pins (integrity hashes included) and fails if package.json
# and the lock file disagree. --ignore-scripts: none of the three packages needs an install script.
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

asc_flags=(-O3 --noAssert --runtime incremental --exportRuntime)
echo "build.sh: asc $("$here/node_modules/.bin/asc" --version | sed 's/^Version //'), node $(node --version)" >&2
(cd "$out_dir" && "$here/node_modules/.bin/asc" assembly/scale.ts "${asc_flags[@]}" -o "$work/$module")

check_or_write "$mode" "$work/$module" "$out_dir/$module" samples/WasmSharedMemory.AssemblyScript/assembly/build.sh
