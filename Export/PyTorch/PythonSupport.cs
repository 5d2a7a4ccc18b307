namespace CnnDsl.Export.PyTorch;

/// <summary>The Python classes an exported module may need beside <c>torch.nn</c>: CnnDsl's own
/// layers (LeNet-5's, ConvNeXt's) with the state_dict names and forward of the C# runtime's
/// (<c>Runtime/Layers</c>), and the container the generated blocks derive from. Each is written
/// into a file only when one of its layers is used.</summary>
internal static class PythonSupport
{
    public const string Block = """"
        class Block(nn.Module):
            """A container whose forward is written out below it; `self["0"]` is its member named 0,
            a module or (a parameter-only layer such as layer_scale) a parameter."""

            def __getitem__(self, name):
                name = str(name)
                return self._modules[name] if name in self._modules else self._parameters[name]
        """";

    public static readonly (string Name, string Source)[] Classes =
    {
        ("PartialConv2d", """"
            class PartialConv2d(nn.Module):
                """A convolution in which output map j sees only the input maps connections[j] (LeNet-5's C3).
                weight holds the kernels of the connections only, [connections, kH, kW], output map by output map."""

                def __init__(self, in_channels, out_channels, kernel, stride, padding, connections, bias=True):
                    super().__init__()
                    self.shape = (out_channels, in_channels) + tuple(kernel)
                    self.stride, self.padding = tuple(stride), tuple(padding)
                    index = [j * in_channels + i for j, seen in enumerate(connections) for i in seen]
                    self.register_buffer("index", torch.tensor(index, dtype=torch.int64), persistent=False)
                    self.weight = nn.Parameter(torch.empty(len(index), *kernel))
                    self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
                    # LeCun's rule: uniform in +-2.4 / fan-in, the fan-in of output map j.
                    bounds = torch.tensor([2.4 / (len(seen) * kernel[0] * kernel[1]) for seen in connections])
                    with torch.no_grad():
                        counts = torch.tensor([len(seen) for seen in connections])
                        self.weight.uniform_(-1.0, 1.0).mul_(bounds.repeat_interleave(counts).view(-1, 1, 1))
                        if bias:
                            self.bias.uniform_(-1.0, 1.0).mul_(bounds)

                def forward(self, x):
                    full = self.weight.new_zeros(self.shape[0] * self.shape[1], *self.shape[2:])
                    full = full.index_copy(0, self.index, self.weight).view(self.shape)
                    return F.conv2d(x, full, self.bias, self.stride, self.padding)
            """"),
        ("TrainableSubsampling", """"
            class TrainableSubsampling(nn.Module):
                """LeNet-5's S2/S4: the sum of each window, times a coefficient per map, plus a bias per map."""

                def __init__(self, channels, kernel=2, stride=2):
                    super().__init__()
                    self.kernel, self.stride = kernel, stride
                    self.weight = nn.Parameter(torch.empty(channels).uniform_(-2.4 / kernel ** 2, 2.4 / kernel ** 2))
                    self.bias = nn.Parameter(torch.zeros(channels))

                def forward(self, x):
                    total = F.avg_pool2d(x, self.kernel, self.stride, divisor_override=1)
                    return total * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
            """"),
        ("ScaledTanh", """"
            class ScaledTanh(nn.Module):
                """LeCun's squashing function A tanh(S a)."""

                def __init__(self, amplitude, slope):
                    super().__init__()
                    self.amplitude, self.slope = amplitude, slope

                def forward(self, x):
                    return torch.tanh(x * self.slope) * self.amplitude
            """"),
        ("RbfOutput", """"
            class RbfOutput(nn.Module):
                """LeNet-5's output: the squared distance of the input to each class's fixed code (a buffer)."""

                def __init__(self, in_features, classes, codes):
                    super().__init__()
                    self.register_buffer("codes", torch.tensor(codes, dtype=torch.float32).view(classes, in_features))

                def forward(self, x):
                    return (x.unsqueeze(1) - self.codes.unsqueeze(0)).square().sum(2)
            """"),
        ("LayerNorm2d", """"
            class LayerNorm2d(nn.LayerNorm):
                """Layer norm over the channels of each position of an N x C x H x W map (torchvision's)."""

                def forward(self, x):
                    x = x.permute(0, 2, 3, 1)
                    x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
                    return x.permute(0, 3, 1, 2)
            """"),
        ("Permute", """"
            class Permute(nn.Module):
                def __init__(self, *order):
                    super().__init__()
                    self.order = order

                def forward(self, x):
                    return x.permute(*self.order)
            """"),
        ("ChannelAffine", """"
            class ChannelAffine(nn.Module):
                """A fixed per-channel scale and shift of an N x C x H x W map (no trained tensors)."""

                def __init__(self, scale, shift):
                    super().__init__()
                    self.register_buffer("scale", torch.tensor(scale, dtype=torch.float32).view(1, -1, 1, 1), persistent=False)
                    self.register_buffer("shift", torch.tensor(shift, dtype=torch.float32).view(1, -1, 1, 1), persistent=False)

                def forward(self, x):
                    return x * self.scale.to(x.dtype) + self.shift.to(x.dtype)
            """"),
        ("ChannelPad", """"
            class ChannelPad(nn.Module):
                """Zero channels before and after those of an N x C x H x W map."""

                def __init__(self, before, after):
                    super().__init__()
                    self.before, self.after = before, after

                def forward(self, x):
                    return F.pad(x, (0, 0, 0, 0, self.before, self.after))
            """"),
        ("ChannelShuffle", """"
            class ChannelShuffle(nn.Module):
                """ShuffleNet's channel shuffle: C = groups x k channels read group by group become k x groups."""

                def __init__(self, groups):
                    super().__init__()
                    self.groups = groups

                def forward(self, x):
                    n, c, h, w = x.shape
                    return x.view(n, self.groups, c // self.groups, h, w).transpose(1, 2).reshape(n, c, h, w)
            """"),
        ("StochasticDepth", """"
            class StochasticDepth(nn.Module):
                """Zeroes a whole sample ("row") or the whole batch with probability p in training, scaled by 1/(1-p)."""

                def __init__(self, p, mode="row"):
                    super().__init__()
                    self.p, self.mode = p, mode

                def forward(self, x):
                    if not self.training or self.p == 0.0:
                        return x
                    survival = 1.0 - self.p
                    size = [x.shape[0]] + [1] * (x.dim() - 1) if self.mode == "row" else [1] * x.dim()
                    noise = torch.empty(size, dtype=x.dtype, device=x.device).bernoulli_(survival)
                    return x * (noise / survival if survival > 0 else noise)
            """"),
    };
}
