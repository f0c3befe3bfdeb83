#!/usr/bin/env bash
# Builds stb.c into ../stb.wasm with Debian's clang, wasm-ld and wasi-libc: stb_image, stb_image_resize and
# stb_image_write from Debian's libstb-dev, compiled as they are (stb.c is nothing but the three
# *_IMPLEMENTATION defines and includes) into a WASI reactor with the plain C allocator contract
# (malloc(size) -> ptr, free(ptr)). stb.wasm is committed so `dotnet run` never needs clang, so it must be
# reproducible: `--check` rebuilds it and compares byte for byte.
#
#   c/build.sh          rebuild samples/WasmSharedMemory.Thumbnails/stb.wasm
#   c/build.sh --check  rebuild into a temporary folder; fail, naming the file, on any difference
#
# Output bytes depend on the clang/lld/wasi-libc/libstb-dev versions (Debian 12: clang 14.0.6, wasi-libc
# 0.0~git20220510, libstb-dev 0.0~git20220908.8b5f1f3: stb_image 2.27, stb_image_resize 0.97,
# stb_image_write 1.16), so --check holds for the toolchain that built the committed file. Override the
# compiler with WSM_CLANG. No debug info, and the source folder mapped to a fixed name, so no path of this
# checkout reaches the bytes (stb's assert messages name /usr/include/stb/..., the same on every machine).
#
# Imports (`wasm-objdump -x -j Import stb.wasm`; this script fails if they change): stb's asserts are kept,
# as a user building the library gets them, and a failed one prints to stderr before it aborts (a trap):
#   wasi_snapshot_preview1.fd_write, fd_seek, fd_close: wasi-libc's stderr. The .NET host defines WASI
#   preview 1 with nothing granted (stderr goes nowhere unless WasmHostOptions.InheritStandardError).
# Nothing else: malloc grows memory with memory.grow.
#
# Exports (their C signatures are the headers'; wasm types in parentheses, every pointer an i32):
#   memory; _initialize (the reactor's start: runs wasi-libc's constructors; a host calls it once first);
#   malloc, free; stbi_load_from_memory (6 i32 -> i32), stbi_info_from_memory (5 i32 -> i32),
#   stbi_failure_reason (-> i32), stbi_image_free (i32), stbir_resize_uint8 (9 i32 -> i32),
#   stbi_write_png_to_mem (6 i32 -> i32; the block it returns comes from malloc: free it).
# stbi_image_free is free itself, so wasm-ld exports the one function under both names.
#
# Memory: 3 pages initially (a 128 KiB stack first, then the static data), growable to 4 GiB by malloc.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../../.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
out_dir=$(cd "$here/.." && pwd)
module=stb.wasm
debian_packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt libstb-dev)
exports=(malloc free stbi_load_from_memory stbi_info_from_memory stbi_failure_reason stbi_image_free
         stbir_resize_uint8 stbi_write_png_to_mem)

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: c/build.sh [--check]" >&2; exit 2 ;;
esac

clang_bin=${WSM_CLANG:-/usr/bin/clang-14}

# Debian's wasi-libc puts headers in /usr/include/wasm32-wasi and libraries in /usr/lib/wasm32-wasi, the
# multiarch layout clang's WebAssembly driver expects under a sysroot of /usr; <stb/...> resolves to
# /usr/include/stb, which that sysroot also searches.
sysroot=/usr
has_toolchain() {
  [ -x "$clang_bin" ] && [ -f "$sysroot/lib/wasm32-wasi/libc.a" ] && [ -f "$sysroot/lib/wasm32-wasi/crt1-reactor.o" ] \
    && [ -f "$sysroot/include/wasm32-wasi/stdlib.h" ] && [ -f "$sysroot/include/stb/stb_image_resize.h" ] \
    && [ -n "$("$clang_bin" --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null | xargs -r ls 2>/dev/null)" ] \
    && command -v wasm-strip >/dev/null
}

if ! has_toolchain; then
  apt_install "Debian's C wasm32 toolchain and stb" "${debian_packages[@]}"
  has_toolchain || { echo "build.sh: $clang_bin still cannot build stb for wasm32-wasi" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# -mexec-model=reactor links crt1-reactor.o: no _start, an _initialize export instead.
# --stack-first puts the stack below the static data, so an overflow traps instead of corrupting it; stb keeps
# a few KiB of tables on it (zlib's Huffman tables), and 128 KiB leaves a wide margin. No --max-memory:
# malloc must be able to grow memory.
# No -Werror: stb is not ours to fix, but a new warning still shows up here.
cflags=(--target=wasm32-wasi "--sysroot=$sysroot" -mexec-model=reactor -std=c11 -O2 -g0 -Wall -Wextra
        "-ffile-prefix-map=$here=/stb" "-fdebug-prefix-map=$here=/stb")
ldflags=(-Wl,--stack-first -Wl,-z,stack-size=131072 -Wl,--strip-all)
for export in "${exports[@]}"; do
  ldflags+=("-Wl,--export=$export")
done

echo "build.sh: $("$clang_bin" --version | head -n 1), libstb-dev $(dpkg-query -W -f='${Version}' libstb-dev 2>/dev/null || echo '(version unknown)')" >&2
(cd "$here" && "$clang_bin" "${cflags[@]}" "${ldflags[@]}" -o "$work/$module" stb.c)
wasm-strip "$work/$module"

# Exactly wasi-libc's stderr; anything else would mean an undefined symbol or a new dependency slipped in.
imports=$(wasm-objdump -x -j Import "$work/$module" | sed -n 's/.*<- //p' | sort | tr '\n' ' ')
expected_imports="wasi_snapshot_preview1.fd_close wasi_snapshot_preview1.fd_seek wasi_snapshot_preview1.fd_write "
if [ "$imports" != "$expected_imports" ]; then
  echo "build.sh: $module imports '$imports', not the '$expected_imports' documented above" >&2
  exit 1
fi

check_or_write "$mode" "$work/$module" "$out_dir/$module" samples/WasmSharedMemory.Thumbnails/c/build.sh
