#!/usr/bin/env bash
# Generator cost against model size (issue 13, kind 9): for models of N layers, what a
# consumer's `dotnet build` pays (wall time, peak memory), how much of it is the generator and
# how much the compiler's work on the generated C#, the generator alone in process, and the size
# of what it generates.
#
#   benchmarks/scripts/generator-scaling.sh [SIZES] [SHAPES] [REPOSITORY]
#
#   SIZES       layer counts, default "100 1000 5000 20000" (20,000 is the language's limit per
#               model; each count is rounded down to a whole number of repetitions)
#   SHAPES      "chain", "nested" or both (default "chain nested"):
#               chain:  repeat N/3 { conv(8, 3, pad: 1) -> batchnorm -> relu }  on 8x16x16, one flat
#                       group of numbered layers (as nn.Sequential);
#               nested: repeat N/100 { nest(50) }, where nest(n) is `c: conv -> r: relu -> inner:
#                       nest(n - 1)`: 50 modules inside one another (paths like
#                       0.inner.inner....inner.c), 100 layers per repetition.
#   REPOSITORY  the checkout whose Generator and Runtime are measured (default: the one this
#               script is in); give an exported older commit to measure the code before a change
#               (scripts/sync-snapshot.sh exports one).
#
# A throwaway consumer project in a temporary folder references REPOSITORY's Generator as an
# analyzer and its Runtime, as tests/CnnDsl.Models.Tests does, and holds one .cnn file. One
# warm-up build (restore, Dsl, Generator, Runtime), then per row one measured build of the
# consumer alone, with the compiler inside the measured process tree:
#   dotnet build -c Release --no-restore --no-incremental --no-dependencies -nodeReuse:false
#                -p:UseSharedCompilation=false -p:ReportAnalyzer=true -clp:PerformanceSummary
#                (and a detailed log to a file, where the compiler's analyzer report is)
# /usr/bin/time -v (Debian package `time`) gives the wall time and the largest resident set of
# that tree (the compiler's process); without it the wall time comes from `date` and the memory
# column says "?". The compiler reports the generator's own time (ReportAnalyzer) and MSBuild
# the Csc task's. A small console program (same folder) runs FileGeneration.Run in process:
# median of 5 runs after one warm-up, and the Dsl's CnnCompiler.Compile alone.
# Prints one Markdown row per (shape, size). Heavy: the 20,000-layer builds take minutes and
# gigabytes; run one at a time on a quiet machine.
set -euo pipefail
sizes=${1:-100 1000 5000 20000}
shapes=${2:-chain nested}
repo=${3:-$(cd "$(dirname "$0")/../.." && pwd)}
repo=$(cd "$repo" && pwd)
work=$(mktemp -d /tmp/cnnbench-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

timer=()
if [ -x /usr/bin/time ]; then
  timer=(/usr/bin/time -v)
else
  echo "<!-- /usr/bin/time not found (Debian package 'time'): no memory figures -->" >&2
fi

mkdir -p "$work/consumer" "$work/runner"
cat > "$work/consumer/Scaling.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <NuGetAudit>false</NuGetAudit>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/Generator/CnnDsl.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$repo/Runtime/CnnDsl.Runtime.csproj" />
  </ItemGroup>
  <Import Project="$repo/Generator/build/CnnDsl.Generator.props" />
</Project>
EOF

# The generator in process: FileGeneration.Run on the file, and the Dsl's analysis alone.
cat > "$work/runner/Runner.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <NuGetAudit>false</NuGetAudit>
    <ServerGarbageCollection>false</ServerGarbageCollection>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/Generator/CnnDsl.Generator.csproj" />
    <ProjectReference Include="$repo/Dsl/CnnDsl.Dsl.csproj" />
  </ItemGroup>
</Project>
EOF
cat > "$work/runner/Program.cs" <<'EOF'
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Generator.Pipeline;

var path = args[0];
var text = File.ReadAllText(path);
double Median(double[] xs) { Array.Sort(xs); return xs.Length % 2 == 1 ? xs[xs.Length / 2] : (xs[xs.Length / 2 - 1] + xs[xs.Length / 2]) / 2; }
double Time(Action action)
{
    var sw = Stopwatch.StartNew();
    action();
    return sw.Elapsed.TotalMilliseconds;
}

FileGeneration? generation = null;
void Generate() => generation = FileGeneration.Run(new CnnFile(path, text), null, CancellationToken.None);
void Analyse() => CnnDsl.Dsl.CnnCompiler.Compile(path, text);
Generate();
Analyse();
var whole = Enumerable.Range(0, 5).Select(_ => Time(Generate)).ToArray();
var analysis = Enumerable.Range(0, 5).Select(_ => Time(Analyse)).ToArray();
var errors = generation!.Diagnostics.Where(d => d.IsError).Select(d => d.Message).ToList();
if (errors.Count > 0) { Console.Error.WriteLine(string.Join("\n", errors)); return 1; }
var chars = generation.Sources.Sum(s => (long)s.Text.Length);
Console.WriteLine($"{Median(whole):F0} {Median(analysis):F0} {chars} {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)}");
return 0;
EOF

model() { # shape layers -> .cnn text
  case $1 in
    chain) printf 'model Scaling input 8x16x16 = repeat %d { conv(8, 3, pad: 1) -> batchnorm -> relu }\n' $(($2 / 3)) ;;
    nested) printf 'block nest(n) =\n  if n > 1 { c: conv(8, 3, pad: 1) -> r: relu -> inner: nest(n - 1) }\n  else { c: conv(8, 3, pad: 1) -> r: relu }\nmodel Scaling input 8x16x16 = repeat %d { nest(50) }\n' $(($2 / 100)) ;;
    *) echo "unknown shape $1" >&2; exit 2 ;;
  esac
}
layers_of() { case $1 in chain) echo $(($2 / 3 * 3)) ;; nested) echo $(($2 / 100 * 100)) ;; esac; }

model chain 30 > "$work/consumer/scaling.cnn"
(cd "$work/consumer" && dotnet build Scaling.csproj -c Release -nologo -v:q > warmup.log 2>&1) || { tail -30 "$work/consumer/warmup.log"; exit 1; }
(cd "$work/runner" && dotnet build Runner.csproj -c Release -nologo -v:q -o out > build.log 2>&1) || { tail -30 "$work/runner/build.log"; exit 1; }

echo "<!-- $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || cat "$repo/benchmarks/SNAPSHOT_COMMIT" 2>/dev/null || echo '?') -->"
echo "| shape | layers | build wall, s | build peak RSS, MB | generator in build, s | Csc task, s | in process: generation / analysis, ms | in-process peak, MB | generated C#: lines, bytes |"
echo "|---|---|---|---|---|---|---|---|---|"
for shape in $shapes; do
  for size in $sizes; do
    model "$shape" "$size" > "$work/consumer/scaling.cnn"
    read -r gen_ms analysis_ms _ gen_peak < <(dotnet "$work/runner/out/Runner.dll" "$work/consumer/scaling.cnn")
    cd "$work/consumer"
    rm -rf obj/Release/net10.0/generated
    start=$(date +%s.%N)
    status=0
    "${timer[@]}" dotnet build Scaling.csproj -c Release -nologo -v:q --no-restore --no-incremental --no-dependencies \
      -nodeReuse:false -p:UseSharedCompilation=false -p:ReportAnalyzer=true -clp:PerformanceSummary -fl '-flp:verbosity=detailed;logfile=detail.log' > build.log 2> time.log || status=$?
    end=$(date +%s.%N)
    if [ $status -ne 0 ]; then tail -20 build.log time.log >&2; echo "| $shape | $(layers_of "$shape" "$size") | build failed (exit $status) |"; cd - > /dev/null; continue; fi
    wall=$(echo "$end - $start" | bc)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.log)
    rss_mb=$([ -n "$rss" ] && echo $((rss / 1024)) || echo "?")
    generated=$(find obj -path '*generated*' -name '*.g.cs' | sort)
    lines=$(cat $generated | wc -l)
    bytes=$(cat $generated | wc -c)
    generator=$(grep -m1 -E '^\s*[0-9.<]+\s+[0-9<]+\s+CnnDsl\.Generator\.CnnModelGenerator\s*$' detail.log | awk '{print $1}' || true)
    csc=$(grep -E '^\s*[0-9.]+ ms\s+Csc\b' build.log | head -1 | grep -oE '[0-9.]+' | head -1 || true)
    cd - > /dev/null
    printf '| %s | %s | %.1f | %s | %s | %s | %s / %s | %s | %s, %s |\n' "$shape" "$(layers_of "$shape" "$size")" "$wall" "$rss_mb" \
      "${generator:-?}" "$( [ -n "$csc" ] && printf '%.1f' "$(echo "$csc / 1000" | bc -l)" || echo '?')" "$gen_ms" "$analysis_ms" "$gen_peak" "$lines" "$bytes"
  done
done
