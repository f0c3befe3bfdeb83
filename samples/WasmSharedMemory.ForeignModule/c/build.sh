#!/usr/bin/env bash
# Builds imaging.c into ../imaging.wasm with Debian's clang, wasm-ld and wasi-libc: a module from a different
# toolchain than our Rust one, with the plain C allocator contract (malloc(size) -> ptr, free(ptr)).
# imaging.wasm is committed so `dotnet run` never needs clang, so it must be reproducible: `--check`
# rebuilds it and compares byte for byte.
#
#   c/build.sh          rebuild samples/WasmSharedMemory.ForeignModule/imaging.wasm
#   c/build.sh --check  rebuild into a temporary folder; fail, naming the file, on any difference
#
# Output bytes depend on the clang/lld/wasi-libc versions (Debian 12: clang 14.0.6, wasi-libc
# 0.0~git20220510), so --check holds for the toolchain that built the committed file. Override the
# compiler with WSM_CLANG.
#
# Imports (`wasm-objdump -x -j Import imaging.wasm`; this script fails if they change):
#   env.host_histogram(bins: i32, count: i32) -> nil
#       count (256) uint32 bins in the module's memory, valid only during the call; used by luma_histogram.
#       Declared with import_module/import_name in imaging.c, so wasm-ld imports it instead of failing.
# Nothing from WASI: wasi-libc's malloc grows memory with memory.grow and its abort() is a wasm trap, and the
# kernels call nothing else, so this module imports no wasi_snapshot_preview1 function (the .NET host would
# define WASI preview 1 with nothing granted if it did).
#
# Exports: memory, malloc, free, box_blur, brighten, sum, luma_histogram; imaging.c documents each. No
# _initialize: nothing in the module needs constructors run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
out_dir=$(cd "$here/.." && pwd)
module=imaging.wasm
debian_packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt)

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: c/build.sh [--check]" >&2; exit 2 ;;
esac

clang_bin=${WSM_CLANG:-/usr/bin/clang-14}

# Debian's wasi-libc puts headers in /usr/include/wasm32-wasi and libraries in /usr/lib/wasm32-wasi, the
# multiarch layout clang's WebAssembly driver expects under a sysroot of /usr.
sysroot=/usr
has_toolchain() {
  [ -x "$clang_bin" ] && [ -f "$sysroot/lib/wasm32-wasi/libc.a" ] && [ -f "$sysroot/include/wasm32-wasi/stdlib.h" ] \
    && [ -n "$("$clang_bin" --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null | xargs -r ls 2>/dev/null)" ] \
    && command -v wasm-strip >/dev/null
}

if ! has_toolchain; then
  apt_install "Debian's C wasm32 toolchain" "${debian_packages[@]}"
  has_toolchain || { echo "build.sh: $clang_bin still cannot build for wasm32-wasi" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# No debug info and the source folder mapped to a fixed name, so no path of this checkout reaches the bytes.
# -nostartfiles and --no-entry: a library module with no _start; nothing in it needs constructors run.
# --stack-first puts the 64 KiB stack below the static data, so an overflow traps instead of corrupting it.
# No --max-memory: memory stays growable, which malloc needs.
cflags=(--target=wasm32-wasi "--sysroot=$sysroot" -std=c11 -O2 -g0 -Wall -Wextra -Werror
        "-ffile-prefix-map=$here=/imaging" "-fdebug-prefix-map=$here=/imaging")
ldflags=(-nostartfiles -Wl,--no-entry -Wl,--stack-first -Wl,-z,stack-size=65536 -Wl,--strip-all)
for export in malloc free box_blur brighten sum luma_histogram; do
  ldflags+=("-Wl,--export=$export")
done

echo "build.sh: $("$clang_bin" --version | head -n 1)" >&2
(cd "$here" && "$clang_bin" "${cflags[@]}" "${ldflags[@]}" -o "$work/$module" imaging.c)
wasm-strip "$work/$module"

# The host defines exactly this import; anything else would mean an undefined symbol slipped through.
imports=$(wasm-objdump -x -j Import "$work/$module" | sed -n 's/.*<- //p' | sort | tr '\n' ' ')
if [ "$imports" != "env.host_histogram " ]; then
  echo "build.sh: $module imports '$imports', not the env.host_histogram documented above" >&2
  exit 1
fi

check_or_write "$mode" "$work/$module" "$out_dir/$module" samples/WasmSharedMemory.ForeignModule/c/build.sh
