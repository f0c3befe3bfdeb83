#!/usr/bin/env bash
# Builds growth.c and embind.cpp with Debian's emscripten 3.1.6 into the test modules beside this folder, the shapes
# Emscripten publishes: ../emscripten_standalone.wasm (-sSTANDALONE_WASM, a reactor with WASI imports),
# ../emscripten_glue.wasm (JavaScript glue: the env runtime imports and __wasm_call_ctors), ../emscripten_minified.wasm
# (the same at -O3: imports and exports renamed a, b, c, ...) and ../emscripten_embind.wasm (C++ with embind). Each grows
# its memory (-sALLOW_MEMORY_GROWTH, 16 MiB initially). The JavaScript emcc writes beside each is thrown away: the tests
# define nothing of it but the minified build's imports, which a user reads from that JavaScript as below.
#
#   build.sh          rebuild the four modules
#   build.sh --check  rebuild into a temporary folder; fail, naming the file, on any difference
#
# Bytes depend on Debian 12's emscripten 3.1.6~dfsg-5 and its prebuilt system libraries, used frozen, as
# samples/WasmSharedMemory.Emscripten/c/build.sh explains; emcc's JavaScript optimizer needs Debian's acorn (NODE_PATH).
#
# Imports, checked below (`wasm-objdump -x -j Import`):
#   standalone: env.emscripten_notify_memory_growth, wasi_snapshot_preview1.{proc_exit,fd_close,fd_write,fd_seek}
#   glue:       env.{__assert_fail,emscripten_memcpy_big,emscripten_resize_heap,setTempRet0}
#   minified:   a.a = setTempRet0, a.b = emscripten_resize_heap, a.c = emscripten_memcpy_big, a.d = __assert_fail
#               (the glue's asmLibraryArg); exports e = memory, f = __wasm_call_ctors, g = constructors_ran, h = fnv1a,
#               i = make_pattern, j = malloc, k = copy_bytes, l = checked_positive, m = shifted, o = free
#   embind:     env._embind_register_* (13 of them), env.{emscripten_memcpy_big,emscripten_resize_heap,abort,setTempRet0}
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../../.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
out_dir=$(cd "$here/.." && pwd)
emscripten_root=/usr/share/emscripten

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: build.sh [--check]" >&2; exit 2 ;;
esac

if ! [ -x /usr/bin/emcc ] || ! command -v wasm-objdump >/dev/null || ! [ -d /usr/share/nodejs/acorn ]; then
  apt_install "Debian's emscripten" emscripten wabt node-acorn
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export EM_CONFIG="$emscripten_root/.emscripten" EM_CACHE="$emscripten_root/cache" EM_FROZEN_CACHE=1 EMCC_TEMP_DIR="$work"
export NODE_PATH=/usr/share/nodejs
unset EMCC_CFLAGS EMCC_FORCE_STDLIBS EMCC_DEBUG EMMAKEN_CFLAGS EM_LLVM_ROOT EM_BINARYEN_ROOT EM_NODE_JS

echo "build.sh: $(emcc --version | head -n 1)" >&2
common=(-g0 -Wall -Werror "-ffile-prefix-map=$here=/emscripten" -sALLOW_MEMORY_GROWTH -sINITIAL_MEMORY=16777216 "-sEXPORTED_FUNCTIONS=_malloc,_free")
cd "$here"
emcc -std=c11 -O2 "${common[@]}" -sSTANDALONE_WASM --no-entry -o "$work/emscripten_standalone.wasm" growth.c
emcc -std=c11 -O2 "${common[@]}" -o "$work/glue.js" growth.c
emcc -std=c11 -O3 "${common[@]}" -o "$work/minified.js" growth.c
em++ -std=c++17 -O2 "${common[@]}" --bind -o "$work/embind.js" embind.cpp
mv "$work/glue.wasm" "$work/emscripten_glue.wasm"
mv "$work/minified.wasm" "$work/emscripten_minified.wasm"
mv "$work/embind.wasm" "$work/emscripten_embind.wasm"

imports() { wasm-objdump -x -j Import "$work/$1" | sed -n 's/.*<- //p' | sort | tr '\n' ' '; }
expect() {
  local actual
  actual=$(imports "$1")
  if [ "$actual" != "$2" ]; then
    echo "build.sh: $1 imports '$actual', not the '$2' documented above" >&2
    exit 1
  fi
}
expect emscripten_standalone.wasm "env.emscripten_notify_memory_growth wasi_snapshot_preview1.fd_close wasi_snapshot_preview1.fd_seek wasi_snapshot_preview1.fd_write wasi_snapshot_preview1.proc_exit "
expect emscripten_glue.wasm "env.__assert_fail env.emscripten_memcpy_big env.emscripten_resize_heap env.setTempRet0 "
expect emscripten_minified.wasm "a.a a.b a.c a.d "
mapping=$(grep -o 'asmLibraryArg={[^}]*}' "$work/minified.js")
if [ "$mapping" != 'asmLibraryArg={"d":___assert_fail,"c":_emscripten_memcpy_big,"b":_emscripten_resize_heap,"a":_setTempRet0}' ]; then
  echo "build.sh: the minified build's imports are now $mapping; update the mapping above and the tests" >&2
  exit 1
fi
if [ "$(imports emscripten_embind.wasm | tr ' ' '\n' | grep -c '^env\._embind_register_')" != 13 ]; then
  echo "build.sh: emscripten_embind.wasm no longer imports 13 _embind_register_* functions" >&2
  exit 1
fi

for module in emscripten_standalone.wasm emscripten_glue.wasm emscripten_minified.wasm emscripten_embind.wasm; do
  if [ "$mode" = check ]; then
    ( check_or_write check "$work/$module" "$out_dir/$module" tests/WasmSharedMemory.Tests/Modules/emscripten/build.sh ) || exit 1
  else
    ( check_or_write build "$work/$module" "$out_dir/$module" tests/WasmSharedMemory.Tests/Modules/emscripten/build.sh )
  fi
done
