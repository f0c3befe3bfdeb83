#!/usr/bin/env bash
# Times stb's decode of a 1920x1080 JPEG (4:2:0, quality 90; the sample's images.sh draws it) and its resize to
# 960x540 on every runner of the same C, one after another, and prints one Markdown table of medians and ratios:
#   native -O2          the sample's translation unit compiled by clang for this CPU (stb's SSE2 paths on x86-64)
#   native -O2 no SIMD  the same with -DSTBI_NO_SIMD: the scalar C the .wasm runs
#   Node                stb.wasm in V8 (bench.mjs)
#   Wasmtime            stb.wasm on raw Wasmtime.Dotnet, no interruption checks (StbBench raw)
#   Wasmtime + epochs   the same with epoch interruption compiled in and an epoch ticking (StbBench raw-epoch)
#   ... library's settings  the same on the engine settings WasmSharedMemory uses (memory that never moves, its
#                       stack limit; StbBench raw-epoch-library): tells engine settings from the library's call path
#   Wasmtime, library's settings  no epoch checks, the library's engine settings (StbBench raw-library): what a
#                       host without limits should match
#   binding             WasmSharedMemory's WasmHost and the sample's generated StbImage binding (StbBench binding)
# Every runner prints a checksum of its resized pixels; the run fails unless all agree.
#
#   bash benchmarks/stb/run.sh          3 rounds of every runner in turn, each 21 timed iterations after 3
#                                       warm-ups; per runner the lowest round median (about 3 minutes)
#   WSM_STB_ROUNDS=1 WSM_STB_ITERATIONS=51 bash benchmarks/stb/run.sh
#
# Work files go to benchmarks/results/stb/ (ignored by git). One run on a shared machine is noisy: compare
# ratios within a run, not milliseconds across runs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
sample=samples/WasmSharedMemory.Thumbnails
work=benchmarks/results/stb
iterations=${WSM_STB_ITERATIONS:-21}
rounds=${WSM_STB_ROUNDS:-3}
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

# Every round runs every runner once, in turn, so a burst of load elsewhere hits them alike, and each round starts
# one runner later, so no runner always runs last (on a busy machine the binding measured 1.8x raw Wasmtime when it
# ran last in every round, and about 1x when it ran first). Each runner's figure is the lowest of its round medians.
names=("native -O2" "native -O2, STBI_NO_SIMD" "Node $(node --version)" "Wasmtime, no epoch checks" "Wasmtime, epoch checks"
       "Wasmtime, epoch checks, the library's settings" "Wasmtime, no epoch checks, the library's settings" "WasmSharedMemory binding")
runner() { # index: runs that runner once
  case $1 in
    0) "$work/native" "$photo" "$iterations" ;;
    1) "$work/native-nosimd" "$photo" "$iterations" ;;
    2) node benchmarks/stb/bench.mjs "$photo" "$iterations" ;;
    3) dotnet "$work/StbBench/StbBench.dll" raw "$sample/stb.wasm" "$photo" "$iterations" ;;
    4) dotnet "$work/StbBench/StbBench.dll" raw-epoch "$sample/stb.wasm" "$photo" "$iterations" ;;
    5) dotnet "$work/StbBench/StbBench.dll" raw-epoch-library "$sample/stb.wasm" "$photo" "$iterations" ;;
    6) dotnet "$work/StbBench/StbBench.dll" raw-library "$sample/stb.wasm" "$photo" "$iterations" ;;
    7) dotnet "$work/StbBench/StbBench.dll" binding "$sample/stb.wasm" "$photo" "$iterations" ;;
  esac
}
decode=() resize=() sums=()
for round in $(seq "$rounds"); do
  for k in "${!names[@]}"; do
    i=$(( (k + round - 1) % ${#names[@]} ))
    echo "run.sh: round $round, ${names[$i]}" >&2
    read -r d r s <<<"$(runner "$i")"
    if [ "$round" -eq 1 ]; then
      decode[i]=$d resize[i]=$r sums[i]=$s
    else
      decode[i]=$(awk -v a="${decode[$i]}" -v b="$d" 'BEGIN { print (b < a ? b : a) }')
      resize[i]=$(awk -v a="${resize[$i]}" -v b="$r" 'BEGIN { print (b < a ? b : a) }')
      [ "$s" = "${sums[$i]}" ] || sums[i]="$s (round $round) != ${sums[$i]}"
    fi
  done
done

for s in "${sums[@]}"; do
  [ "$s" = "${sums[0]}" ] || { echo "run.sh: the runners resized to different pixels: ${sums[*]}" >&2; exit 1; }
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "stb decode of a 1920x1080 JPEG and resize to 960x540: the lowest of $rounds rounds' medians of $iterations runs; $(date -u +'%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo
echo "| Runner | Decode (ms) | × native no SIMD | × Wasmtime | Resize (ms) | × native no SIMD | × Wasmtime |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for i in "${!names[@]}"; do
  echo "| ${names[$i]} | ${decode[$i]} | $(ratio "${decode[$i]}" "${decode[1]}") | $(ratio "${decode[$i]}" "${decode[3]}") | ${resize[$i]} | $(ratio "${resize[$i]}" "${resize[1]}") | $(ratio "${resize[$i]}" "${resize[3]}") |"
done
echo
echo "All runners resized to the same pixels (FNV-1a ${sums[0]})."
