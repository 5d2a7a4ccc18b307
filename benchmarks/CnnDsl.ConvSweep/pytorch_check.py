"""Cross-checks conv-sweep's float64 reference with a second engine (issue 12, part 1).

conv-sweep --dump DIR writes, for every N-th case, its shape (caseNNNNN.txt), its float32-rounded
input, weight, bias and upstream gradient, and libtorch 2.10's float64 output, input gradient and
weight gradient (caseNNNNN.*.f64, raw little-endian float64). This script recomputes each case with
Debian's PyTorch 1.13 (run it with /usr/bin/python3) in float64 and in float32 and prints, per
case and overall, how far libtorch's float64 reference is from PyTorch's float64 result and how far
PyTorch's float32 result is from that reference (max |a - b| / max |b|).

    /usr/bin/python3 benchmarks/CnnDsl.ConvSweep/pytorch_check.py DIR [--threads 1]
"""
import glob
import os
import sys

import numpy as np
import torch


def load(stem, name, shape):
    return torch.from_numpy(np.fromfile(f"{stem}.{name}.f64", dtype="<f8").reshape(shape))


def relative(actual, expected):
    scale = expected.abs().max().item()
    error = (actual.double() - expected).abs().max().item()
    return error / scale if scale else error


def run(case, x, w, b, g, dtype):
    op, stride, padding, dilation, groups = case["op"], case["stride"], case["padding"], case["dilation"], case["groups"]
    x = x.to(dtype).clone().requires_grad_(True)
    w = w.to(dtype).clone().requires_grad_(True)
    if op == "conv_transpose2d":
        y = torch.nn.functional.conv_transpose2d(x, w, b.to(dtype), stride, padding, 0, groups, dilation)
    else:
        y = torch.nn.functional.conv2d(x, w, b.to(dtype), stride, padding, dilation, groups)
    gx, gw = torch.autograd.grad(y, (x, w), g.to(dtype))
    return y.detach(), gx, gw


def main():
    directory = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    torch.set_num_threads(threads)
    names = ["op", "batch", "cin", "cout", "size", "kernel", "stride", "dilation", "groups", "padding"]
    worst_reference, worst_float32, count = 0.0, 0.0, 0
    print(f"<!-- PyTorch {torch.__version__}, {torch.get_num_threads()} threads -->")
    print("| case | libtorch f64 vs PyTorch f64 (y, dx, dw) | PyTorch f32 vs f64 (y, dx, dw) |")
    print("|---|---|---|")
    for text in sorted(glob.glob(os.path.join(directory, "case*.txt"))):
        stem = text[:-4]
        cells = open(text).read().split("\t")
        case = {k: (v.strip() if k == "op" else int(v)) for k, v in zip(names, cells)}
        n, cin, cout, size, k, groups = case["batch"], case["cin"], case["cout"], case["size"], case["kernel"], case["groups"]
        transposed = case["op"] == "conv_transpose2d"
        wshape = (cin, cout // groups, k, k) if transposed else (cout, cin // groups, k, k)
        x = load(stem, "x", (n, cin, size, size))
        w = load(stem, "w", wshape)
        b = load(stem, "b", (cout,))
        y64 = np.fromfile(f"{stem}.y.f64", dtype="<f8")
        out_size = int(round((y64.size / (n * cout)) ** 0.5))
        y_ref = torch.from_numpy(y64.reshape(n, cout, out_size, out_size))
        g = load(stem, "g", (n, cout, out_size, out_size))
        gx_ref = load(stem, "gx", (n, cin, size, size))
        gw_ref = load(stem, "gw", wshape)
        y, gx, gw = run(case, x, w, b, g, torch.float64)
        ref = [relative(y, y_ref), relative(gx, gx_ref), relative(gw, gw_ref)]
        y, gx, gw = run(case, x, w, b, g, torch.float32)
        f32 = [relative(y, y_ref), relative(gx, gx_ref), relative(gw, gw_ref)]
        worst_reference = max([worst_reference] + ref)
        worst_float32 = max([worst_float32] + f32)
        count += 1
        label = " ".join(f"{key}={case[key]}" for key in names)
        print(f"| {label} | {' '.join(f'{e:.1e}' for e in ref)} | {' '.join(f'{e:.1e}' for e in f32)} |")
    print()
    print(f"{count} cases: libtorch 2.10 float64 vs PyTorch 1.13 float64 at most {worst_reference:.1e}; "
          f"PyTorch 1.13 float32 vs the float64 reference at most {worst_float32:.1e}.")
    return 0 if count and worst_reference < 1e-10 and worst_float32 < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
