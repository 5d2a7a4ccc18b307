#!/usr/bin/env bash
# (1), replicated across processes: the generated / hand-written ratio varies more from one
# process to the next (allocator state, page placement, neighbours on a shared host) than within
# one process, so this runs `forward --no-interpreter` PROCESSES times per model, each in a fresh
# process, and reports every process's median paired ratio and the median over processes.
# Usage: benchmarks/scripts/forward-replicated.sh PROCESSES "ResNet50 VGG16 GoogLeNet DenseNet121" "1 8" [extra harness options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
processes=${1:-3}; models=${2:-"ResNet50 VGG16 GoogLeNet DenseNet121"}; batches=${3:-"1 8"}; shift 3 || true
echo "<!-- $(date -u '+%Y-%m-%d %H:%M') UTC; load avg $(cut -d' ' -f1-3 /proc/loadavg); MALLOC env: $(env | grep '^MALLOC_' | tr '\n' ' ') -->"
echo "| model | batch | per-process median generated / hand-written (95% CI) | median over processes | range over processes |"
echo "|---|---|---|---|---|"
for m in $models; do
  for b in $batches; do
    ratios=(); cells=()
    for ((p = 0; p < processes; p++)); do
      row=$("$here/run.sh" forward --no-interpreter --models "$m" --batches "$b" "$@" 2>/dev/null | grep "^| $m | $b |")
      # column 8: "1.006 (CI 0.990-1.027) [0.977, 1.054]"
      cell=$(echo "$row" | awk -F'|' '{print $8}' | sed 's/^ *//; s/ *\[.*//')
      cells+=("$cell"); ratios+=("$(echo "$cell" | awk '{print $1}')")
    done
    med=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}')
    rng=$(printf '%s\n' "${ratios[@]}" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {print lo "-" hi}')
    echo "| $m | $b | $(IFS=';'; echo "${cells[*]}" | sed 's/;/; /g') | $med | $rng |"
  done
done
