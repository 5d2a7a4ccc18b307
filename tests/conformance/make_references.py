#!/usr/bin/python3
"""Reference files for the torchvision conformance tests (tests/CnnDsl.Conformance.Tests).

For each model of tests/conformance/models.json (or those named with --model) this builds
torchvision's model with seeded initialisation, gives every batch norm a non-trivial weight,
bias and running statistics (as built, batch norm in eval mode is the identity and proves
nothing), and writes into OUT/<model>/:

  weights.pth   torch.save(model.state_dict()), as a user would export it
  io.pth        a dict of tensors: "input" (batch x C x H x W), "output" (torchvision's eval
                output), "aux.<head>" (each auxiliary head in eval mode, called on the tensor it
                reads), and for "train" models "train.output" and "train.state.<key>" (one
                train-mode forward: its output and every batch-norm buffer after it); each float
                tensor also as "<key>.float64", the same network run in float64, which measures
                torchvision's own float32 rounding error
  meta.json     versions, seed, shapes and the seconds each step took

Run it with Debian's interpreter, /usr/bin/python3 (python3-torchvision: PyTorch 1.13.1,
torchvision 0.14.1). It uses one thread unless CONFORMANCE_THREADS says otherwise.
"""

import argparse
import copy
import json
import os
import sys
import time
import zlib

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models.json")
BASE_SEED = 20261129


def load_table(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["models"]


def seed_of(name):
    # Fixed per model, independent of which other models run and in what order.
    return (BASE_SEED + zlib.crc32(name.encode("utf-8"))) % (2**31)


def batch_norms(model, torch):
    return [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]


def randomise_batch_norms(model, torch, batch, shape, generator):
    """Weight in [0.5, 1.5), bias N(0, 0.2); running statistics from two train-mode passes over a
    calibration batch (cumulative average), so that eval mode normalises to a sane scale in deep
    networks while mean and variance are far from 0 and 1."""
    norms = batch_norms(model, torch)
    if not norms:
        return 0
    with torch.no_grad():
        for bn in norms:
            bn.weight.copy_(torch.rand(bn.weight.shape, generator=generator) + 0.5)
            bn.bias.copy_(torch.randn(bn.bias.shape, generator=generator) * 0.2)
            bn.reset_running_stats()
        momenta = [bn.momentum for bn in norms]
        for bn in norms:
            bn.momentum = None
        model.train()
        for _ in range(2):
            model(torch.randn((batch, *shape), generator=generator) * 1.5 + 0.25)
        for bn, momentum in zip(norms, momenta):
            bn.momentum = momentum
    return len(norms)


def evaluate(model, x, heads, torch):
    """Eval output, and each auxiliary head's eval output on the tensor it reads."""
    results = {}
    with torch.no_grad():
        if heads:
            # torchvision runs the heads only in train mode, where dropout makes them random; the
            # eval-mode head on the tensor it reads is deterministic and is what CnnDsl's
            # ForwardWithAuxiliary computes in eval mode. Train mode with batch norm and dropout in
            # eval mode shows the heads their inputs.
            captured = {}
            hooks = [getattr(model, head).register_forward_pre_hook(
                lambda module, args, head=head: captured.__setitem__(head, args[0].detach().clone())) for head in heads]
            model.train()
            for m in model.modules():
                if isinstance(m, (torch.nn.modules.batchnorm._BatchNorm, torch.nn.Dropout)):
                    m.eval()
            model(x)
            for hook in hooks:
                hook.remove()
            model.eval()
            for head in heads:
                results["aux." + head] = getattr(model, head)(captured[head])
        model.eval()
        output = model(x)
    results["output"] = output if isinstance(output, torch.Tensor) else output[0]
    return results


def make(entry, out_root, torch, torchvision):
    name = entry["model"]
    timings = {}
    start = time.perf_counter()
    seed = seed_of(name)
    torch.manual_seed(seed)
    constructor = getattr(torchvision.models, entry["torchvision"])
    model = constructor(weights=None, **entry.get("kwargs", {}))
    timings["build"] = time.perf_counter() - start

    generator = torch.Generator().manual_seed(seed + 1)
    batch = entry["batch"]
    shape = tuple(entry["input"])
    step = time.perf_counter()
    norms = randomise_batch_norms(model, torch, batch, shape, generator)
    timings["batch_norm_calibration"] = time.perf_counter() - step
    model.eval()

    tensors = {}
    x = torch.randn((batch, *shape), generator=generator)
    tensors["input"] = x
    heads = entry.get("aux", [])
    step = time.perf_counter()
    for key, value in evaluate(model, x, heads, torch).items():
        tensors[key] = value
    timings["eval_forward"] = time.perf_counter() - step

    # The same network in float64: how far torchvision's own float32 result is from the exact one
    # (the tests allow CnnDsl a few times that, see ConformanceTests.Bound).
    step = time.perf_counter()
    exact = copy.deepcopy(model).double()
    for key, value in evaluate(exact, x.double(), heads, torch).items():
        tensors[key + ".float64"] = value
    timings["eval_forward_float64"] = time.perf_counter() - step

    if entry.get("train"):
        step = time.perf_counter()
        for suffix, trained, data in (("", copy.deepcopy(model), x), (".float64", copy.deepcopy(exact), x.double())):
            trained.train()
            with torch.no_grad():
                train_output = trained(data)
            if not isinstance(train_output, torch.Tensor):
                train_output = train_output[0]
            tensors["train.output" + suffix] = train_output
            for key, value in trained.state_dict().items():
                if key.endswith(("running_mean", "running_var")) or (key.endswith("num_batches_tracked") and not suffix):
                    tensors["train.state." + key + suffix] = value.clone()
        timings["train_forward"] = time.perf_counter() - step

    folder = os.path.join(out_root, name)
    os.makedirs(folder, exist_ok=True)
    step = time.perf_counter()
    state = model.state_dict()
    torch.save(state, os.path.join(folder, "weights.pth"))
    torch.save({k: v.contiguous() for k, v in tensors.items()}, os.path.join(folder, "io.pth"))
    timings["save"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - start

    meta = {
        "model": name,
        "torchvision_constructor": entry["torchvision"],
        "kwargs": entry.get("kwargs", {}),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "seed": seed,
        "input": [batch, *shape],
        "batch_norms": norms,
        "state_dict_entries": len(state),
        "parameters": sum(p.numel() for p in model.parameters()),
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    with open(os.path.join(folder, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
    return meta


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder to write <model>/ folders into")
    parser.add_argument("--model", action="append", default=[], help="model name from the table (repeatable; default: all)")
    parser.add_argument("--table", default=TABLE, help="the conformance table (default: models.json beside this script)")
    args = parser.parse_args()

    try:
        import torch
        import torchvision
    except ImportError as e:
        print(f"make_references.py: {e}; install Debian's python3-torchvision (apt-get install -y python3-torchvision) "
              f"and run this with /usr/bin/python3", file=sys.stderr)
        return 3

    torch.set_num_threads(int(os.environ.get("CONFORMANCE_THREADS", "1")))
    table = load_table(args.table)
    by_name = {e["model"]: e for e in table}
    unknown = [m for m in args.model if m not in by_name]
    if unknown:
        print(f"make_references.py: not in {args.table}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name in args.model or list(by_name):
        meta = make(by_name[name], args.out, torch, torchvision)
        print(json.dumps({"model": name, "seconds": meta["seconds"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
