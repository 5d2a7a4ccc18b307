#!/usr/bin/python3
"""PyTorch's side of the PyTorch export test (Debian's PyTorch 1.13, /usr/bin/python3).

Arguments: MODULE.py KEYS.json WEIGHTS.safetensors INPUT.safetensors OUT.safetensors BACK.safetensors

Imports the exported module, builds its model and checks that its state_dict has exactly the C#
class's keys with the same shapes and dtypes (KEYS.json); loads the C# weights strictly; runs the
input in eval mode and saves the output; saves the model's state_dict for the C# side to load back."""

import importlib.util
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def main(module_path, keys_path, weights_path, input_path, out_path, back_path):
    torch.set_num_threads(1)
    # The C# weights replace every tensor: skip PyTorch's own initialisation, which for a model of
    # a hundred million parameters costs more than the rest of this script.
    for cls in (torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.Linear):
        cls.reset_parameters = lambda self: None
    spec = importlib.util.spec_from_file_location("exported", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.create()

    # The same entries; the order is not compared: TorchSharp lists a module's buffers after the
    # parameters of the modules that follow it, PyTorch module by module.
    with open(keys_path, encoding="utf-8") as f:
        expected = sorted(json.load(f))
    actual = sorted([k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items())
    if actual != expected:
        only_cs = [e for e in expected if e not in actual][:10]
        only_py = [a for a in actual if a not in expected][:10]
        sys.exit(f"state_dict differs: C# {len(expected)} entries, PyTorch {len(actual)}\n  only in C#: {only_cs}\n  only in PyTorch: {only_py}")

    model.load_state_dict(safetensors_io.load(weights_path), strict=True)
    model.eval()
    x = safetensors_io.load(input_path)["input"]
    with torch.no_grad():
        y = model(x)
    safetensors_io.save({"output": y}, out_path)
    safetensors_io.save(model.state_dict(), back_path)
    print("ok: PyTorch", torch.__version__, len(actual), "tensors, output", list(y.shape))


if __name__ == "__main__":
    main(*sys.argv[1:])
