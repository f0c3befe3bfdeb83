#!/usr/bin/env bash
# Runs every benchmark of issues 7 and 14 in one go and writes the report: the C normal-store floor on one
# thread and on two (benchmarks/native), the same .wasm files in Node (benchmarks/node), the BenchmarkDotNet
# suite (benchmarks/WasmSharedMemory.Benchmarks, Parallelism 1 and 2), then the tables and target ratios into
# docs/benchmarks.md (between its result markers), the chart into docs/benchmarks.png and every number into
# docs/benchmarks.csv.
#
#   bash benchmarks/run.sh                 the full run: 3 passes, about 20 minutes on 2 cores
#   bash benchmarks/run.sh --quick         one pass of short jobs (about 6 minutes; for trying the pipeline)
#   WSM_BENCH_PASSES=1 bash benchmarks/run.sh     fewer passes (a quiet machine needs only one)
#   WSM_BENCH_NOTE="..." bash benchmarks/run.sh   a note printed above the tables (say what else was running)
#
# Raw results go to benchmarks/results/ (ignored by git); rerunning overwrites them and the docs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
results=benchmarks/results
quick=0
[ "${1:-}" = "--quick" ] && quick=1
passes=${WSM_BENCH_PASSES:-3}
[ $quick -eq 1 ] && passes=1

for tool in dotnet node cc; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 1; }
done

rm -rf "$results"
mkdir -p "$results"
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load)
started=$(date -u +"%Y-%m-%d %H:%M UTC")

timer_args=()
[ $quick -eq 1 ] && timer_args=(--quick)
# Builds one C floor, named for the report, and checks it stores the way wasm must.
floors=()
floor() { # name, cc flags...
  local name=$1
  shift
  cc "$@" -DNAME="\"$name\"" -o "$results/$name" benchmarks/native/multiply.c
  # Through a file: grep -q would close the pipe at its first match and pipefail would then hide that match.
  objdump -d "$results/$name" > "$results/$name.s"
  if grep -q movnt "$results/$name.s"; then
    echo "run.sh: the C floor $name must use normal stores, but the compiler emitted streaming stores" >&2
    exit 1
  fi
  floors+=("$name")
}
# GCC's -O2 keeps this loop scalar; the dynamic cost model vectorizes it with 128-bit SSE (wasm's width).
# Each again split over two threads: the two-core floor for Parallelism = 2.
floor C_O2 -O2
floor C_O2_Vec128 -O2 -fvect-cost-model=dynamic
floor C_O2_Threads2 -O2 -pthread -DTHREADS=2
floor C_O2_Vec128_Threads2 -O2 -fvect-cost-model=dynamic -pthread -DTHREADS=2

if [ $quick -eq 1 ]; then
  job=(--job short)
else
  # Fixed counts keep each pass to about 5 minutes: 44 cases of about 7 s.
  job=(--launchCount 1 --warmupCount 3 --iterationCount 15 --iterationTime 200)
fi
bdn() { dotnet run -c Release --project benchmarks/WasmSharedMemory.Benchmarks -- "$@"; }

# The machine may be shared: a burst of load from another process inflates whatever runs during it. So the
# whole suite runs in passes spread over time, and the report keeps, for every row, its lowest pass median.
for pass in $(seq 1 "$passes"); do
  out="$results/pass$pass"
  mkdir -p "$out"
  echo "==> pass $pass of $passes: C floor (benchmarks/native)"
  for name in "${floors[@]}"; do
    "$results/$name" "${timer_args[@]}" > "$out/native-$name.json"
  done
  echo "==> pass $pass of $passes: Node (benchmarks/node)"
  node benchmarks/node/bench.mjs "${timer_args[@]}" > "$out/node.json"
  echo "==> pass $pass of $passes: BenchmarkDotNet (benchmarks/WasmSharedMemory.Benchmarks)"
  bdn --artifacts "$out/bdn" "${job[@]}" \
    --filter 'WasmSharedMemory.Benchmarks.MultiplyBenchmarks*' 'WasmSharedMemory.Benchmarks.CallOverheadBenchmarks*' \
    'WasmSharedMemory.Benchmarks.SpanAccessBenchmarks*' 'WasmSharedMemory.Benchmarks.LoadBenchmarks*' \
    > "$out/bdn.log"
  grep -E 'Run time' "$out/bdn.log" || true
done

echo "==> cold Load (its own job: 10 fresh processes, one call each; no job options on purpose)"
mkdir -p "$results/cold"
bdn --artifacts "$results/cold/bdn" --filter 'WasmSharedMemory.Benchmarks.ColdLoadBenchmarks*' > "$results/cold/bdn.log"
grep -E 'Run time' "$results/cold/bdn.log" || true

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cat > "$results/machine.json" <<EOF
{
  "date": "$started",
  "cpu": "$cpu",
  "nproc": "$(nproc)",
  "dotnet": ".NET $(dotnet --version) SDK, runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')",
  "node": "Node $(node --version)",
  "cc": "$(cc --version | sed -n 1p)",
  "loadBefore": "$load_before",
  "loadAfter": "$(load)",
  "command": "bash benchmarks/run.sh${1:+ $1}",
  "passes": "$passes",
  "note": "${WSM_BENCH_NOTE:-}"
}
EOF

echo "==> report"
dotnet run -c Release --project benchmarks/WasmSharedMemory.BenchmarkReport -- \
  "$results" docs/benchmarks.md docs/benchmarks.png docs/benchmarks.csv
