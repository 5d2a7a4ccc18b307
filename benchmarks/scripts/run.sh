#!/usr/bin/env bash
# Runs the benchmark harness (built with: dotnet build -c Release benchmarks/CnnDsl.Benchmarks).
# On a shared Linux host with autogrouped scheduling (kernel.sched_autogroup_enabled=1) a
# process's nice value only ranks it inside its own session; set BENCH_AUTOGROUP_NICE (e.g.
# -15, needs root) to raise this session's group, so that other sessions' builds take less of
# the CPUs during a run. Each timed round records the CPU share other processes still used.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dll="$here/CnnDsl.Benchmarks/bin/Release/net10.0/CnnDsl.Benchmarks.dll"
if [[ -n "${BENCH_AUTOGROUP_NICE:-}" && -w /proc/self/autogroup ]]; then
  echo "$BENCH_AUTOGROUP_NICE" > /proc/self/autogroup || true
  echo "<!-- $(cat /proc/self/autogroup) -->" >&2
fi
exec dotnet "$dll" "$@"
