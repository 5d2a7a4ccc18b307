"""Counts the lines of torchvision's model code that describe an architecture.

For each file of torchvision/models given, it sums the lines (blank and comment lines included,
as `wc -l` would count them) of
  - the classes that derive from nn.Module (directly or through another class of the file),
  - the module-level functions that are neither model builders (decorated, like
    `@register_model()` ones) nor private helpers that load weights (`_resnet`), e.g. ResNet's
    `conv3x3` and VGG's `make_layers`,
  - the module-level configuration tables (a dict or list assigned to a name that is not
    `__all__`, `_COMMON_META` or `model_urls`), e.g. VGG's `cfgs`.
The pretrained-weights enums and metadata, the imports, and the builders are left out. This
reproduces the figures of the project's STYLE notes: vgg 57, resnet 238.

Usage: /usr/bin/python3 tools/torchvision/architecture_lines.py squeezenet inception resnet
Measured with torchvision 0.14.1 (Debian's python3-torchvision); prints one line per file.
"""
import ast
import os
import sys

import torchvision

MODELS = os.path.join(os.path.dirname(torchvision.__file__), "models")
METADATA = {"__all__", "_COMMON_META", "model_urls", "_COMMON_SWAG_META"}


def span(node):
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return node.end_lineno - first + 1


def count(name):
    path = os.path.join(MODELS, name + ".py")
    tree = ast.parse(open(path, encoding="utf-8").read())
    modules = set()
    total = 0
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = {ast.unparse(b) for b in node.bases}
            if bases & {"nn.Module", "nn.Sequential", "torch.nn.Module"} or bases & modules:
                modules.add(node.name)
                total += span(node)
        elif isinstance(node, ast.FunctionDef):
            if not node.decorator_list and not node.name.startswith("_"):
                total += span(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {ast.unparse(t) for t in targets}
            if isinstance(node.value, (ast.Dict, ast.List)) and not names & METADATA:
                total += span(node)
    lines = sum(1 for _ in open(path, encoding="utf-8"))
    return total, lines


if __name__ == "__main__":
    for name in sys.argv[1:]:
        code, lines = count(name)
        print(f"{name}.py: {lines} lines, architecture code {code}, a quarter {code / 4:.1f}")
