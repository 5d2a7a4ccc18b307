#!/usr/bin/env bash
# Images per second of the image-folder loader, and the share of each step spent waiting for it
# (issue 14). Short runs (one or two epochs each) on a shared machine: see RESULTS.md.
#   benchmarks/images/run.sh [OUT]        (after `dotnet build Cli -c Release`)
# Needs the MNIST PNG folder: `cnn data mnist --format png --out artifacts/mnist-png` (the script
# makes it if missing). Writes OUT/run.log and each run's JSON-lines log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-artifacts/bench-images}"
mkdir -p "$out"
export OMP_NUM_THREADS=1
cnn() { dotnet Cli/bin/Release/net10.0/cnn.dll "$@"; }
models=benchmarks/images/loader.cnn
{
  echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ -d artifacts/mnist-png/train ] || cnn data mnist --format png --out artifacts/mnist-png
  [ -d "$out/shapes224/train" ] || cnn data shapes --out "$out/shapes224" --size 224 --count 100 --seed 1
  run() {
    local name="$1"; shift
    echo "== $name: cnn train $*"
    /usr/bin/time -f "wall %e s, user %U s, system %S s, max RSS %M KB" \
      dotnet Cli/bin/Release/net10.0/cnn.dll train "$@" --out "$out/$name.ckpt" --log "$out/$name.jsonl" --no-plots
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  }
  # The loader alone: MNIST as PNG, 28x28 grey, 8,000 files, as they are and with augmentation.
  run png28-plain $models --model Probe28 --data artifacts/mnist-png --epochs 2 --batch 64 --val-fraction 0 --shift 0
  run png28-augmented $models --model Probe28 --data artifacts/mnist-png --epochs 2 --batch 64 --val-fraction 0 --shift 0 \
    --random-resized-crop --hflip --rotation 10 --jitter 0.3
  # The loader alone: 224x224 RGB PNG, 300 files.
  run rgb224-plain $models --model Probe224 --data "$out/shapes224" --epochs 2 --batch 32 --shift 0
  run rgb224-augmented $models --model Probe224 --data "$out/shapes224" --epochs 2 --batch 32 --shift 0 \
    --random-resized-crop --hflip --rotation 10 --jitter 0.3,0.3,0.3,0.05
  # Beside real models: LeNet-5 on the PNG digits, a small convolutional network at 224.
  run lenet5-png architectures/lenet5.cnn --model LeNet5 --data artifacts/mnist-png --epochs 1 --mean 0.1307 --std 0.3081 --shift 1
  run smallconv224-augmented $models --model SmallConv224 --data "$out/shapes224" --epochs 2 --batch 32 --shift 0 \
    --random-resized-crop --hflip --rotation 10 --jitter 0.3,0.3,0.3,0.05
} 2>&1 | tee "$out/run.log"
