#!/usr/bin/env bash
# Build time and memory of a project whose one .cnn file holds one model of N layers: what a
# build pays for the generator and for compiling what it generates, as a model grows.
#
#   benchmarks/scripts/big-model-build.sh N [REPOSITORY]
#
# The model is `repeat N/3 { conv(8, 3, pad: 1) -> batchnorm -> relu }` on 8x16x16 (so N is
# rounded down to a multiple of 3). A throwaway consumer project in a temporary folder references
# REPOSITORY's Generator (as an analyzer) and Runtime, as tests/CnnDsl.Models.Tests does;
# REPOSITORY defaults to the one this script is in (give another checkout to measure another
# version of the generator). One warm-up build (restore, the referenced projects), then one
# measured build of the consumer alone:
#   dotnet build --no-restore --no-incremental --no-dependencies -nodeReuse:false -p:UseSharedCompilation=false
# so that the compiler runs inside the measured process tree: /usr/bin/time -v gives the wall
# time and the largest resident set of that tree (the compiler's process), and the compiler reports
# the generator's own time and the Csc task's. Prints one table row: layers, wall, RSS, generator,
# Csc, generated file size, load, commit.
set -euo pipefail
layers=${1:?usage: big-model-build.sh N [REPOSITORY]}
repo=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
repeats=$((layers / 3))
work=$(mktemp -d /tmp/cnnbench-big.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat > "$work/Big.csproj" <<EOF
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
printf 'model Big input 8x16x16 = repeat %d { conv(8, 3, pad: 1) -> batchnorm -> relu }\n' "$repeats" > "$work/big.cnn"

cd "$work"
dotnet build Big.csproj -c Release -nologo -v:q > warmup.log 2>&1 || { tail -20 warmup.log; exit 1; }
/usr/bin/time -v dotnet build Big.csproj -c Release -nologo -v:q --no-restore --no-incremental --no-dependencies \
  -nodeReuse:false -p:UseSharedCompilation=false -p:ReportAnalyzer=true -clp:PerformanceSummary > build.log 2> time.log \
  || { tail -20 build.log time.log; exit 1; }
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.log)
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.log)
generated=$(find obj -name 'big.Big*.g.cs' -path '*generated*' 2>/dev/null | head -1)
size=$( [ -n "$generated" ] && wc -c < "$generated" || echo "?")
# The compiler's own account of the generator's time (-p:ReportAnalyzer=true) and of the whole Csc task.
generator=$(grep -m1 'CnnDsl.Generator.CnnModelGenerator' build.log | grep -o '[0-9][0-9.]* s' | head -1 || true)
csc=$(grep -m1 -E '^\s*[0-9.]+ ms\s+Csc\b' build.log | grep -o '^ *[0-9.]* ms' | tr -d ' ' || true)
echo "| $((repeats * 3)) | $wall | $((rss / 1024)) MB | ${generator:-?} | ${csc:-?} | $size bytes | $(cut -d' ' -f1-3 /proc/loadavg) | $(git -C "$repo" rev-parse --short HEAD) |"
