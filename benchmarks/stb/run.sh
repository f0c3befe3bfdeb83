#!/usr/bin/env bash
# Times stb's decode of a 1920x1080 JPEG (4:2:0, quality 90; the sample's images.sh draws it) and its resize to
# 960x540 on every runner of the same C, one after another, and prints one Markdown table of medians and ratios:
#   native -O2          the sample's translation unit compiled by clang for this CPU (stb's SSE2 paths on x86-64)
#   native -O2 no SIMD  the same with -DSTBI_NO_SIMD: the scalar C the .wasm runs
#   Node                stb.wasm in V8 (bench.mjs)
#   Wasmtime            stb.wasm on raw Wasmtime.Dotnet, no interruption checks (StbBench raw)
#   Wasmtime + epochs   the same with epoch interruption compiled in and an epoch ticking (StbBench raw-epoch)
#   binding             WasmSharedMemory's WasmHost and the sample's generated StbImage binding (StbBench binding)
# Every runner prints a checksum of its resized pixels; the run fails unless all agree.
#
#   bash benchmarks/stb/run.sh          21 timed iterations per runner after 3 warm-ups (about a minute)
#   WSM_STB_ITERATIONS=51 bash benchmarks/stb/run.sh
#
# Work files go to benchmarks/results/stb/ (ignored by git). One run on a shared machine is noisy: compare
# ratios within a run, not milliseconds across runs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
sample=samples/WasmSharedMemory.Thumbnails
work=benchmarks/results/stb
iterations=${WSM_STB_ITERATIONS:-21}
clang_bin=${WSM_CLANG:-/usr/bin/clang-14}

for tool in dotnet node "$clang_bin"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 1; }
done
[ -f /usr/include/stb/stb_image.h ] || { echo "run.sh: stb's headers are missing: apt-get install libstb-dev" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
bash "$sample/images.sh" "$work/images"
photo=$work/images/photo.jpg

"$clang_bin" -O2 -o "$work/native" benchmarks/stb/native.c -lm
"$clang_bin" -O2 -DSTBI_NO_SIMD -o "$work/native-nosimd" benchmarks/stb/native.c -lm
dotnet build benchmarks/stb/StbBench -c Release -o "$work/StbBench" -v q -nologo >/dev/null

names=() decode=() resize=() sums=()
measure() { # name, command...
  local name=$1 line
  shift
  echo "run.sh: $name" >&2
  line=$("$@")
  read -r d r s <<<"$line"
  names+=("$name") decode+=("$d") resize+=("$r") sums+=("$s")
}
measure "native -O2" "$work/native" "$photo" "$iterations"
measure "native -O2, STBI_NO_SIMD" "$work/native-nosimd" "$photo" "$iterations"
measure "Node $(node --version)" node benchmarks/stb/bench.mjs "$photo" "$iterations"
measure "Wasmtime, no epoch checks" dotnet "$work/StbBench/StbBench.dll" raw "$sample/stb.wasm" "$photo" "$iterations"
measure "Wasmtime, epoch checks" dotnet "$work/StbBench/StbBench.dll" raw-epoch "$sample/stb.wasm" "$photo" "$iterations"
measure "WasmSharedMemory binding" dotnet "$work/StbBench/StbBench.dll" binding "$sample/stb.wasm" "$photo" "$iterations"

for s in "${sums[@]}"; do
  [ "$s" = "${sums[0]}" ] || { echo "run.sh: the runners resized to different pixels: ${sums[*]}" >&2; exit 1; }
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "stb decode of a 1920x1080 JPEG and resize to 960x540: medians of $iterations runs; $(date -u +'%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo
echo "| Runner | Decode (ms) | × native no SIMD | × Wasmtime | Resize (ms) | × native no SIMD | × Wasmtime |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for i in "${!names[@]}"; do
  echo "| ${names[$i]} | ${decode[$i]} | $(ratio "${decode[$i]}" "${decode[1]}") | $(ratio "${decode[$i]}" "${decode[3]}") | ${resize[$i]} | $(ratio "${resize[$i]}" "${resize[1]}") | $(ratio "${resize[$i]}" "${resize[3]}") |"
done
echo
echo "All runners resized to the same pixels (FNV-1a ${sums[0]})."
