#!/usr/bin/env bash
# Builds signal.c into ../signal.wasm with Debian's emscripten as a standalone reactor: a module from a real
# toolchain whose C constructors run only when the host calls _initialize, with the plain C allocator contract
# (malloc(size) -> ptr, free(ptr)). signal.wasm is committed so `dotnet run` never needs emcc, so it must be
# reproducible: `--check` rebuilds it and compares byte for byte.
#
#   c/build.sh          rebuild samples/WasmSharedMemory.Emscripten/signal.wasm
#   c/build.sh --check  rebuild into a temporary folder; fail, naming the file, on any difference
#
# Output bytes depend on Debian 12's emscripten 3.1.6~dfsg-5 (clang/wasm-ld 14.0.6, binaryen 108) and on the
# system libraries that package ships prebuilt in /usr/share/emscripten/cache (libc, dlmalloc, the standalone
# runtime). The build uses that cache read-only (frozen): nothing is compiled into it, nothing in $HOME is
# read or written, and the build takes about a second. WSM_EM_CACHE=DIR instead builds those libraries from
# the package's sources into DIR on first use (about 2 minutes on 2 cores); the output is byte-identical.
# No debug info and the source folder mapped to a fixed name, so no path of this checkout reaches the bytes.
#
# Memory: 16 pages (1 MiB) initially, growable to 32768 pages (2 GiB) by malloc; 64 KiB shadow stack.
#
# Imports (`wasm-objdump -x -j Import signal.wasm`; this script fails if they change):
#   env.host_log(message: i32, byteLength: i32) -> nil
#       UTF-8 text (no terminator) in the module's memory, valid only during the call; used by clip.
#   env.emscripten_notify_memory_growth(memoryIndex: i32) -> nil
#       Called with 0 after malloc has grown memory (-sALLOW_MEMORY_GROWTH); a host may ignore it.
# No WASI imports: nothing calls printf, exit or a clock, and malloc grows memory with memory.grow.
#
# Exports: memory, _initialize (call it once before anything else: it runs the C constructors), malloc,
# free, initialized, crc32, gain, rms, fir, pcm16_to_float, clip, grow_heap, plus what emscripten always adds:
# __indirect_function_table, __errno_location, stackSave, stackRestore, stackAlloc. signal.c documents each.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
out_dir=$(cd "$here/.." && pwd)
module=signal.wasm
debian_packages=(emscripten wabt)
emscripten_root=/usr/share/emscripten

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: c/build.sh [--check]" >&2; exit 2 ;;
esac

private_cache=${WSM_EM_CACHE:-}
has_toolchain() {
  [ -x /usr/bin/emcc ] && command -v wasm-objdump >/dev/null \
    && { [ -n "$private_cache" ] || [ -f "$emscripten_root/cache/sysroot/lib/wasm32-emscripten/libstandalonewasm-memgrow.a" ]; }
}

if ! has_toolchain; then
  apt_install "Debian's emscripten" "${debian_packages[@]}"
  has_toolchain || { echo "build.sh: emcc or its prebuilt system libraries are still missing" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Pin emcc to the package's own config and prebuilt cache, whatever the caller's environment says (an emsdk
# in PATH or EM_CACHE would give other bytes), and keep its temporary files in our folder. An empty
# EM_FROZEN_CACHE is false to emcc's config reader, which lets it fill a private cache.
export EM_CONFIG="$emscripten_root/.emscripten"
if [ -n "$private_cache" ]; then
  mkdir -p "$private_cache"
  export EM_CACHE=$(cd "$private_cache" && pwd) EM_FROZEN_CACHE=
else
  export EM_CACHE="$emscripten_root/cache" EM_FROZEN_CACHE=1
fi
export EMCC_TEMP_DIR="$work"
unset EMCC_CFLAGS EMCC_FORCE_STDLIBS EMCC_DEBUG EMMAKEN_CFLAGS EM_LLVM_ROOT EM_BINARYEN_ROOT EM_NODE_JS

exports=(malloc free initialized crc32 gain rms fir pcm16_to_float clip grow_heap)
exported_functions=$(printf '_%s,' "${exports[@]}")

cflags=(-std=c11 -O2 -g0 -Wall -Wextra -Werror "-ffile-prefix-map=$here=/signal")
# STANDALONE_WASM + --no-entry: a reactor that exports _initialize and needs no JavaScript glue.
# ERROR_ON_UNDEFINED_SYMBOLS=0 because emcc 3.1.6 does not know that host_log, declared with import_module,
# is meant to be an import; the import check below fails instead if anything else ends up imported.
ldflags=(-sSTANDALONE_WASM --no-entry -sALLOW_MEMORY_GROWTH -sINITIAL_MEMORY=1048576 -sTOTAL_STACK=65536
         -sERROR_ON_UNDEFINED_SYMBOLS=0 -sWARN_ON_UNDEFINED_SYMBOLS=0 "-sEXPORTED_FUNCTIONS=${exported_functions%,}")

echo "build.sh: $(emcc --version | head -n 1)" >&2
(cd "$here" && emcc "${cflags[@]}" "${ldflags[@]}" -o "$work/$module" signal.c)

# The host defines exactly these imports, and calls _initialize because it is exported.
imports=$(wasm-objdump -x -j Import "$work/$module" | sed -n 's/.*<- //p' | sort | tr '\n' ' ')
if [ "$imports" != "env.emscripten_notify_memory_growth env.host_log " ]; then
  echo "build.sh: $module imports '$imports', not the env.emscripten_notify_memory_growth and env.host_log documented above" >&2
  exit 1
fi
if ! wasm-objdump -x -j Export "$work/$module" | grep -q -- '-> "_initialize"$'; then
  echo "build.sh: $module exports no _initialize, so its constructor would never run" >&2
  exit 1
fi

check_or_write "$mode" "$work/$module" "$out_dir/$module" samples/WasmSharedMemory.Emscripten/c/build.sh
