#!/usr/bin/env bash
# Copies a clean export of the committed tree (git archive HEAD) plus the working copy of
# benchmarks/ into a scratch folder, so that measurements are not disturbed by half-finished
# edits elsewhere in a shared working tree. Usage: benchmarks/scripts/sync-snapshot.sh [DIR]
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
dest=${1:-/tmp/cnnbench-src}
mkdir -p "$dest"
# Keep bin/ and obj/ of an earlier snapshot (incremental builds); refresh the sources.
find "$dest" -mindepth 1 -maxdepth 1 ! -name benchmarks -exec rm -rf {} +
git -C "$root" archive HEAD | tar -x -C "$dest"
mkdir -p "$dest/benchmarks"
(cd "$root/benchmarks" && find . -path '*/bin' -prune -o -path '*/obj' -prune -o -type f -print) | while read -r f; do
  mkdir -p "$dest/benchmarks/$(dirname "$f")"
  cp "$root/benchmarks/$f" "$dest/benchmarks/$f"
done
git -C "$root" rev-parse HEAD > "$dest/benchmarks/SNAPSHOT_COMMIT"
echo "snapshot of $(cat "$dest/benchmarks/SNAPSHOT_COMMIT") in $dest"
