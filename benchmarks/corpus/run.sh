#!/usr/bin/env bash
# Times every corpus case of benchmarks/corpus/cases.json on raw Wasmtime and the library (CorpusBench, BenchmarkDotNet
# short runs: 2 warm-ups, 7 iterations) and then in Node (bench.mjs), one after the other, and prints the load average
# before each. The tables land in BenchmarkDotNet.Artifacts/results/ and on standard output.
#
#   bash benchmarks/corpus/run.sh [--filter '*Zstd*']
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node tests/corpus/fetch.mjs
echo "load average before CorpusBench: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --project benchmarks/corpus/CorpusBench -- --filter "${2:-*}"
for report in BenchmarkDotNet.Artifacts/results/CorpusBench.*-report-github.md; do
  echo "$report"; grep -E '^\| (Method|Raw|Library)' "$report"
done
echo "load average before bench.mjs: $(cut -d' ' -f1-3 /proc/loadavg)"
node benchmarks/corpus/bench.mjs --iterations 7
