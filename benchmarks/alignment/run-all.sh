#!/usr/bin/env bash
# Runs both probes twice, alternating hosts (separate processes get different host memory layouts, so a
# second run checks that an effect is not one process's page-mapping accident). ~3 minutes in total.
# Output goes to benchmarks/alignment/results/. Run from anywhere inside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=benchmarks/alignment/results
mkdir -p "$out"
{ nproc; grep -m1 'model name' /proc/cpuinfo; uptime; } > "$out/machine.txt"
dotnet build -c Release benchmarks/alignment/AlignmentProbe > /dev/null
for run in 1 2; do
  dotnet run -c Release --no-build --project benchmarks/alignment/AlignmentProbe | tee "$out/dotnet-run$run.txt"
  node benchmarks/alignment/alignment.mjs | tee "$out/node-run$run.txt"
done
uptime >> "$out/machine.txt"
