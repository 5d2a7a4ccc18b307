#!/usr/bin/env bash
# (2) Static summary vs forward-pass-with-hooks summary, for ResNet-152 and DenseNet-201.
#   Timings: in process, first call (cold) and the median of later calls.
#   Memory: one process per method and model, doing one table, under /usr/bin/time -v
#   (maximum resident set size of the whole process), beside the floor of an empty run of the
#   same executable with and without libtorch loaded.
# Usage: benchmarks/scripts/summary.sh   (after dotnet build -c Release benchmarks/CnnDsl.Benchmarks)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run="$here/run.sh"
models=${MODELS:-"ResNet152 DenseNet201"}
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

echo "<!-- $(date -u '+%Y-%m-%d %H:%M') UTC; load avg $(cut -d' ' -f1-3 /proc/loadavg) -->"
"$run" summary-header
for m in $models; do
  "$run" summary-static --model "$m" --reps 30
  "$run" summary-static --model "$m" --reps 30 --only-model
  "$run" summary-hooks --model "$m" --reps 8
done

measure() { # label args...
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$run" "$@" >/dev/null 2>"$log"
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  printf '| %s | %.1f | %s |\n' "$label" "$(echo "$rss / 1024" | bc -l)" "$wall"
  rm -f "$log"
}
echo
echo "| process (one table each) | peak RSS, MiB | wall clock (m:ss) |"
echo "|---|---|---|"
measure "floor: empty run of the harness" noop
measure "floor: empty run, libtorch loaded" noop-torch
for m in $models; do
  measure "$m static (whole shipped file)" summary-static --model "$m" --reps 1
  measure "$m forward hooks (hand-written TorchSharp model, batch 1)" summary-hooks --model "$m" --reps 1
done
