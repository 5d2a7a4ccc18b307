#!/usr/bin/env bash
# (3) Build time of tests/CnnDsl.Models.Tests with and without the .cnn files.
#
#   with:    the project as it is: 7 .cnn AdditionalFiles -> the generator emits 29 classes.
#   without: the .cnn AdditionalFiles removed (benchmarks/build/WithoutCnnFiles.targets) and the
#            29 generated .g.cs files, saved from a "with" build, compiled as ordinary sources.
#   Same C# either way; the difference is the generator's work inside the build.
#
# Two measurements, interleaved (with, without, without, with, ...), ROUNDS rounds:
#   full:   dotnet build --no-incremental   (Dsl, Generator, Runtime and the test project)
#   single: dotnet build --no-incremental --no-dependencies   (the test project's compile only)
# Builds go to a private --artifacts-path, never to the source tree's bin/ and obj/.
# Usage: benchmarks/scripts/build-time.sh [ROUNDS]   (run from any folder of the repository)
set -euo pipefail
rounds=${1:-3}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || (cd "$(dirname "$0")/../.." && pwd))
project="$root/tests/CnnDsl.Models.Tests/CnnDsl.Models.Tests.csproj"
art=$(mktemp -d /tmp/cnnbench-build.XXXXXX)
saved=$(mktemp -d /tmp/cnnbench-generated.XXXXXX)
common=(-c Debug --artifacts-path "$art" -nologo -v:q -p:CustomAfterMicrosoftCommonTargets="$root/benchmarks/build/WithoutCnnFiles.targets" -p:CnnBenchGeneratedSources="$saved")

echo "<!-- $(date -u '+%Y-%m-%d %H:%M') UTC; artifacts in $art; load avg $(cut -d' ' -f1-3 /proc/loadavg) -->"
# Warm-up build (restore, first JIT of MSBuild tasks), then save the generated sources.
dotnet build "$project" "${common[@]}" -p:CnnBenchWithoutCnn=false >/dev/null
gen=$(find "$art/obj/CnnDsl.Models.Tests" -type d -path '*generated/CnnDsl.Generator/CnnDsl.Generator.CnnModelGenerator' | head -1)
cp "$gen"/*.g.cs "$saved/"
echo "<!-- $(ls "$saved" | wc -l) generated files saved ($(cat "$saved"/*.g.cs | wc -c) bytes) -->"
dotnet build "$project" "${common[@]}" -p:CnnBenchWithoutCnn=true >/dev/null   # warm-up of the other variant

time_build() { # variant extra-args...
  local variant=$1; shift
  local start end
  start=$(date +%s.%N)
  dotnet build "$project" "${common[@]}" --no-restore --no-incremental -p:CnnBenchWithoutCnn="$variant" "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

declare -a full_with full_without single_with single_without
for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then order=(false true); else order=(true false); fi
  for v in "${order[@]}"; do
    t=$(time_build "$v"); [[ $v == false ]] && full_with+=("$t") || full_without+=("$t")
    t=$(time_build "$v" --no-dependencies); [[ $v == false ]] && single_with+=("$t") || single_without+=("$t")
  done
  echo "<!-- round $((r + 1)): full with ${full_with[-1]} s, without ${full_without[-1]} s; single with ${single_with[-1]} s, without ${single_without[-1]} s; load $(cut -d' ' -f1 /proc/loadavg) -->"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.1f-%.1f", lo, hi}'; }
echo
echo "| build (--no-incremental) | with .cnn files, s | without (same C# as sources), s | difference, s |"
echo "|---|---|---|---|"
fw=$(median "${full_with[@]}"); fo=$(median "${full_without[@]}")
sw=$(median "${single_with[@]}"); so=$(median "${single_without[@]}")
printf '| full (Dsl, Generator, Runtime, tests), median of %d [range] | %.1f [%s] | %.1f [%s] | %.1f |\n' "$rounds" "$fw" "$(range "${full_with[@]}")" "$fo" "$(range "${full_without[@]}")" "$(echo "$fw - $fo" | bc)"
printf '| test project only (--no-dependencies), median of %d [range] | %.1f [%s] | %.1f [%s] | %.1f |\n' "$rounds" "$sw" "$(range "${single_with[@]}")" "$so" "$(range "${single_without[@]}")" "$(echo "$sw - $so" | bc)"

# The compiler's own account of one "with" compile of the test project: the generator's share
# (csc /reportanalyzer) and the Csc task's total (MSBuild's performance summary).
echo
dotnet build "$project" "${common[@]}" --no-restore --no-incremental --no-dependencies -p:CnnBenchWithoutCnn=false \
  -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary 2>&1 \
  | grep -E "Total generator execution time|Total analyzer execution time|CnnDsl.Generator.CnnModelGenerator$| Csc$|^ +[0-9]+ ms +Csc " \
  | sed 's/^ */    /' || true
rm -rf "$art" "$saved"
