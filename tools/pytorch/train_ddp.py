#!/usr/bin/env python3
"""Trains a model exported by `cnn export --pytorch` with DistributedDataParallel on the MNIST
digits that `cnn data mnist` writes (IDX files), and saves its state_dict for CnnDsl to load back.

Run it with torchrun, one process per worker (CPU: the gloo backend; GPUs: nccl):

    torchrun --nproc_per_node 2 tools/pytorch/train_ddp.py \
        --module lenet5.py --data artifacts/mnist --steps 100 --out lenet5-ddp.pth

On several machines, the same command on each with --nnodes, --node_rank and --rdzv_endpoint
(torchrun's options). Each process reads every digit and trains on its own share of each batch
(DistributedSampler); DDP averages the gradients, so every process holds the same weights, which
rank 0 saves with torch.save. `cnn test FILE --model M --weights lenet5-ddp.pth`, or
`model.LoadWeights("lenet5-ddp.pth")` in C#, takes them as they are.

Debian's PyTorch 1.13 runs it (/usr/bin/python3; torchrun is /usr/bin/torchrun, or
`python3 -m torch.distributed.run`)."""

import argparse
import gzip
import importlib.util
import os
import struct

import numpy
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def read_idx(folder, name):
    """An IDX file of `cnn data mnist` (plain or .gz): images N x 28 x 28 as uint8, or labels N."""
    path = os.path.join(folder, name)
    opener = open
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path, opener = path + ".gz", gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    zero, kind, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return numpy.frombuffer(data, dtype=numpy.uint8, offset=4 + 4 * rank).reshape(dims)


def digits(folder, split):
    images, labels = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte") if split == "train" else ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    # As cnn train and cnn test feed them: scaled to [0, 1], then standardised with MNIST's mean and
    # standard deviation (Runtime/Data/DigitTensors.cs).
    x = (torch.from_numpy(read_idx(folder, images).astype(numpy.float32) / 255.0).unsqueeze(1) - 0.1307) / 0.3081
    y = torch.from_numpy(read_idx(folder, labels).astype(numpy.int64))
    return TensorDataset(x, y)


def load_module(path):
    spec = importlib.util.spec_from_file_location("exported_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", required=True, help="the Python file cnn export --pytorch wrote")
    parser.add_argument("--data", required=True, help="the folder cnn data mnist wrote (IDX files)")
    parser.add_argument("--out", required=True, help="where rank 0 saves the state_dict (.pth)")
    parser.add_argument("--init", help="start from these weights (.pth from torch.save or cnn)")
    parser.add_argument("--steps", type=int, default=100, help="optimiser steps (default 100)")
    parser.add_argument("--batch", type=int, default=64, help="digits per step over all processes (default 64)")
    parser.add_argument("--lr", type=float, default=0.02, help="SGD learning rate (default 0.02, momentum 0.9)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(args.seed)  # the same initial weights in every process
    torch.set_num_threads(1)

    model = load_module(args.module).create()
    if args.init:
        model.load_state_dict(torch.load(args.init), strict=True)
    model.train()
    ddp = DistributedDataParallel(model)
    train = digits(args.data, "train")
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(train, batch_size=max(1, args.batch // world), sampler=sampler, drop_last=True)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=args.lr, momentum=0.9)
    loss_function = torch.nn.CrossEntropyLoss()

    step, epoch = 0, 0
    while step < args.steps:
        sampler.set_epoch(epoch)
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_function(ddp(x), y)
            loss.backward()
            optimizer.step()
            step += 1
            if rank == 0 and (step % 20 == 0 or step == args.steps):
                print(f"step {step}/{args.steps}  loss {loss.item():.4f}", flush=True)
            if step == args.steps:
                break
        epoch += 1

    # Every process holds the same weights: check it, then rank 0 saves them.
    checksum = torch.stack([p.detach().double().sum() for p in model.parameters()]).sum().reshape(1)
    sums = [torch.zeros(1, dtype=torch.float64) for _ in range(world)]
    dist.all_gather(sums, checksum)
    if any(s.item() != sums[0].item() for s in sums):
        raise RuntimeError(f"the processes' weights differ: {[s.item() for s in sums]}")
    if rank == 0:
        model.eval()
        test = digits(args.data, "test")
        with torch.no_grad():
            predicted = torch.cat([model(x).argmax(1) for x, _ in DataLoader(test, batch_size=500)])
        accuracy = (predicted == test.tensors[1]).double().mean().item()
        torch.save(model.state_dict(), args.out)
        print(f"{world} processes, {step} steps: test accuracy {100 * accuracy:.2f}% on {len(test)} digits; saved {args.out}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
