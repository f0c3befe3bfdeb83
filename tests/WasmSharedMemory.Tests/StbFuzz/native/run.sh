#!/usr/bin/env bash
# Builds driver.c (which includes the Thumbnails sample's c/stb.c, the source of stb.wasm) natively and runs it
# over a folder of inputs StbFuzzTests dumped, once built with AddressSanitizer and once plain -O2: how many of
# the inputs the sandbox contained crash or hang the same C code outside it. Build outputs go to a temporary
# folder; the sanitizer reports to <inputs>/asan.log, each driver's lines (one per crash or hang, then the
# totals) to <inputs>/asan.txt and <inputs>/plain.txt as well as to the terminal.
#
#   WSM_STB_FUZZ_SEED=2121 WSM_STB_FUZZ_DUMP=/tmp/stbfuzz-20k \
#     dotnet test tests/WasmSharedMemory.Tests --filter "FullyQualifiedName~StbFuzzTests.HostileImages"
#   tests/WasmSharedMemory.Tests/StbFuzz/native/run.sh /tmp/stbfuzz-20k [hang seconds, default 10]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stb_source=$(cd "$here/../../../../samples/WasmSharedMemory.Thumbnails/c" && pwd)
inputs=${1:?usage: run.sh <input folder> [hang seconds]}
hang=${2:-10}
# gcc by default: Debian's clang-14 comes without its AddressSanitizer runtime unless libclang-rt-14-dev is installed.
cc=${CC:-$(command -v gcc || command -v clang-14 || command -v clang)}
[ -f /usr/include/stb/stb_image.h ] || { echo "run.sh: needs Debian's libstb-dev (apt-get install libstb-dev)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(-std=gnu11 -I "$stb_source" -w)

echo "== $($cc --version | head -n 1), AddressSanitizer"
"$cc" "${common[@]}" -O1 -g -fsanitize=address -fno-omit-frame-pointer -o "$work/driver-asan" "$here/driver.c" -lm
# malloc returns NULL for a request too large, as the C library's does, instead of reporting it as an error.
ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=0 "$work/driver-asan" "$inputs" "$hang" 2> "$inputs/asan.log" | tee "$inputs/asan.txt"
echo "sanitizer reports by kind:"
grep -oE '^SUMMARY: AddressSanitizer: [a-z-]+' "$inputs/asan.log" | sort | uniq -c || true

echo "== $($cc --version | head -n 1), -O2 without a sanitizer"
"$cc" "${common[@]}" -O2 -o "$work/driver" "$here/driver.c" -lm
"$work/driver" "$inputs" "$hang" 2> "$inputs/plain.log" | tee "$inputs/plain.txt"
