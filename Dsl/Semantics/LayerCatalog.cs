using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Semantics;

/// <summary>Every builtin layer of the language, with its signature and defaults (PyTorch's).</summary>
public static class LayerCatalog
{
    public static IReadOnlyDictionary<string, BuiltinLayer> Layers { get; } = new[]
    {
        Layer("conv", 2, "conv(out, kernel, stride = 1, pad = 0, dilation = 1, groups = 1, bias = true, connections = all)", BuildConv,
            "out", "kernel", "stride", "pad", "dilation", "groups", "bias", "connections"),
        Layer("conv_transpose", 2, "conv_transpose(out, kernel, stride = 1, pad = 0, output_pad = 0, dilation = 1, groups = 1, bias = true)", BuildConvTranspose,
            "out", "kernel", "stride", "pad", "output_pad", "dilation", "groups", "bias"),
        Layer("maxpool", 1, "maxpool(kernel, stride = kernel, pad = 0, dilation = 1, ceil = false)", a => BuildPool(a, PoolKind.Max),
            "kernel", "stride", "pad", "dilation", "ceil"),
        Layer("avgpool", 1, "avgpool(kernel, stride = kernel, pad = 0, ceil = false, count_include_pad = true)", a => BuildPool(a, PoolKind.Average),
            "kernel", "stride", "pad", "ceil", "count_include_pad"),
        Layer("adaptive_avgpool", 1, "adaptive_avgpool(size)", a => a.Failed ? null : Checked(a, new AdaptiveAvgPool2dSpec(a.IntPair("size", Pair.Square(1), 1))),
            "size"),
        Layer("global_avgpool", 0, "global_avgpool", a => new AdaptiveAvgPool2dSpec(Pair.Square(1))),
        Layer("upsample", 0, "upsample(scale = 2, mode = nearest, align_corners = false)", BuildUpsample,
            "scale", "mode", "align_corners"),
        Layer("identity", 0, "identity", a => new IdentitySpec()),
        Layer("channel_shuffle", 1, "channel_shuffle(groups)", a => Checked(a, new ChannelShuffleSpec(a.Int("groups", 1, 1))), "groups"),
        Layer("channel_pad", 1, "channel_pad(before, after = before)", a =>
            {
                var before = a.Int("before", 0, 0);
                return Checked(a, new ChannelPadSpec(before, a.Int("after", before, 0)));
            },
            "before", "after"),
        Layer("scaled_tanh", 0, "scaled_tanh(amplitude = 1.7159, slope = 2/3)",
            a => Checked(a, new ScaledTanhSpec(a.Number("amplitude", 1.7159, double.MinValue, double.MaxValue), a.Number("slope", 2.0 / 3.0, double.MinValue, double.MaxValue))),
            "amplitude", "slope"),
        Layer("subsample", 0, "subsample(kernel = 2, stride = kernel)", a =>
            {
                var kernel = a.Int("kernel", 2, 1);
                return Checked(a, new SubsamplingSpec(Pair.Square(kernel), Pair.Square(a.Int("stride", kernel, 1))));
            },
            "kernel", "stride"),
        Layer("rbf", 1, "rbf(classes)", a => Checked(a, new RbfSpec(a.Int("classes", 1, 1))), "classes"),
        Layer("linear", 1, "linear(out, bias = true)", a => Checked(a, new LinearSpec(a.Int("out", 1, 1), a.Bool("bias", true))),
            "out", "bias"),
        Layer("flatten", 0, "flatten", a => new FlattenSpec()),
        Layer("relu", 0, "relu", a => new ActivationSpec(ActivationKind.ReLU)),
        Layer("sigmoid", 0, "sigmoid", a => new ActivationSpec(ActivationKind.Sigmoid)),
        Layer("tanh", 0, "tanh", a => new ActivationSpec(ActivationKind.Tanh)),
        Layer("softmax", 0, "softmax(dim = 1)", a => Checked(a, new ActivationSpec(ActivationKind.Softmax, a.Int("dim", 1, 1))),
            "dim"),
        Layer("dropout", 0, "dropout(p = 0.5)", a => Checked(a, new DropoutSpec(a.Number("p", 0.5, 0, 1))),
            "p"),
        Layer("batchnorm", 0, "batchnorm(eps = 1e-5, momentum = 0.1)",
            a => Checked(a, new BatchNormSpec(a.Number("eps", 1e-5, double.Epsilon, 1), a.Number("momentum", 0.1, 0, 1))),
            "eps", "momentum"),
        Layer("lrn", 1, "lrn(size, alpha = 1e-4, beta = 0.75, k = 1)",
            a => Checked(a, new LocalResponseNormSpec(a.Int("size", 1, 1), a.Number("alpha", 1e-4, 0, double.MaxValue),
                a.Number("beta", 0.75, 0, double.MaxValue), a.Number("k", 1, 0, double.MaxValue))),
            "size", "alpha", "beta", "k"),
        Layer("relu6", 0, "relu6", a => new Relu6Spec()),
        Layer("hardswish", 0, "hardswish", a => new HardswishSpec()),
        Layer("hardsigmoid", 0, "hardsigmoid", a => new HardsigmoidSpec()),
        Layer("silu", 0, "silu", a => new SiluSpec()),
        Layer("mish", 0, "mish", a => new MishSpec()),
        Layer("gelu", 0, "gelu(approximate = none)", a => Checked(a, new GeluSpec(a.Choice("approximate", "none", "none", "tanh") == "tanh")),
            "approximate"),
        Layer("leaky_relu", 0, "leaky_relu(slope = 0.01)", a => Checked(a, new LeakyReluSpec(a.Number("slope", 0.01, double.MinValue, double.MaxValue))),
            "slope"),
        Layer("elu", 0, "elu(alpha = 1.0)", a => Checked(a, new EluSpec(a.Number("alpha", 1.0, double.MinValue, double.MaxValue))),
            "alpha"),
        Layer("prelu", 0, "prelu(per_channel = false, init = 0.25)",
            a => Checked(a, new PreluSpec(a.Bool("per_channel", false), a.Number("init", 0.25, double.MinValue, double.MaxValue))),
            "per_channel", "init"),
        Layer("layernorm", 0, "layernorm(eps = 1e-5)", a => Checked(a, new LayerNormSpec(a.Number("eps", 1e-5, double.Epsilon, 1))),
            "eps"),
        Layer("groupnorm", 1, "groupnorm(groups, eps = 1e-5)",
            a => Checked(a, new GroupNormSpec(a.Int("groups", 1, 1), a.Number("eps", 1e-5, double.Epsilon, 1))),
            "groups", "eps"),
        Layer("instancenorm", 0, "instancenorm(eps = 1e-5, affine = false, track_running_stats = false)",
            a => Checked(a, new InstanceNormSpec(a.Number("eps", 1e-5, double.Epsilon, 1), a.Bool("affine", false), a.Bool("track_running_stats", false))),
            "eps", "affine", "track_running_stats"),
        Layer("stochastic_depth", 1, "stochastic_depth(p, mode = row)",
            a => Checked(a, new StochasticDepthSpec(a.Number("p", 0, 0, 1), a.Choice("mode", "row", "row", "batch") == "batch")),
            "p", "mode"),
        Layer("layer_scale", 0, "layer_scale(init = 1e-6)", a => Checked(a, new LayerScaleSpec(a.Number("init", 1e-6, double.MinValue, double.MaxValue))),
            "init"),
        Layer("channel_affine", 2, "channel_affine(scale, shift)", a => Checked(a, new ChannelAffineSpec(a.Numbers("scale"), a.Numbers("shift"))),
            "scale", "shift"),
        Layer("permute", 4, "permute(0, 2, 3, 1) or permute(0, 3, 1, 2)", BuildPermute, "d0", "d1", "d2", "d3"),
    }.ToDictionary(l => l.Name);

    /// <summary>Names that stand for fixed values: <c>pad: same</c>.</summary>
    public static IReadOnlyDictionary<string, Value> Constants { get; } = new Dictionary<string, Value>
    {
        ["same"] = new StringValue("same"),
        ["valid"] = new StringValue("valid"),
        ["projection"] = new StringValue("projection"),
        ["nearest"] = new StringValue("nearest"),
        ["bilinear"] = new StringValue("bilinear"),
        ["none"] = new StringValue("none"),
        ["row"] = new StringValue("row"),
        ["batch"] = new StringValue("batch"),
    };

    private static BuiltinLayer Layer(string name, int required, string signature, System.Func<BoundArguments, LayerSpec?> build, params string[] parameters) =>
        new(name, parameters, required, signature, build);

    private static LayerSpec? Checked(BoundArguments arguments, LayerSpec spec) => arguments.Failed ? null : spec;

    private static LayerSpec? BuildConv(BoundArguments a)
    {
        var outChannels = a.Int("out", 1, 1);
        var kernel = a.IntPair("kernel", Pair.Square(1), 1);
        var stride = a.IntPair("stride", Pair.Square(1), 1);
        var dilation = a.IntPair("dilation", Pair.Square(1), 1);
        var groups = a.Int("groups", 1, 1);
        var bias = a.Bool("bias", true);
        var padding = Padding(a, kernel, stride, dilation);
        var connections = Connections(a, outChannels, groups);
        return Checked(a, new Conv2dSpec(outChannels, kernel, stride, padding, dilation, groups, bias, connections));
    }

    private static LayerSpec? BuildConvTranspose(BoundArguments a)
    {
        var outChannels = a.Int("out", 1, 1);
        var kernel = a.IntPair("kernel", Pair.Square(1), 1);
        var stride = a.IntPair("stride", Pair.Square(1), 1);
        var padding = a.IntPair("pad", Pair.Square(0), 0);
        var outputPadding = a.IntPair("output_pad", Pair.Square(0), 0);
        var dilation = a.IntPair("dilation", Pair.Square(1), 1);
        var groups = a.Int("groups", 1, 1);
        var bias = a.Bool("bias", true);
        return Checked(a, new ConvTranspose2dSpec(outChannels, kernel, stride, padding, outputPadding, dilation, groups, bias));
    }

    private static LayerSpec? BuildUpsample(BoundArguments a)
    {
        var scale = a.IntPair("scale", Pair.Square(2), 1);
        var mode = a.Has("mode") ? a.Text("mode") : "nearest";
        if (mode is not ("nearest" or "bilinear"))
        {
            a.Fail(DiagnosticCodes.ArgumentType, a.RangeOf("mode"), "`mode` of upsample must be `nearest` or `bilinear`");
            return null;
        }

        var alignCorners = a.Bool("align_corners", false);
        return Checked(a, new UpsampleSpec(scale, mode == "nearest" ? UpsampleMode.Nearest : UpsampleMode.Bilinear, alignCorners));
    }

    /// <summary>The two orders torchvision's ConvNeXt permutes with, batch dimension included.</summary>
    private static LayerSpec? BuildPermute(BoundArguments a)
    {
        var order = new[] { a.Int("d0", 0, 0), a.Int("d1", 0, 0), a.Int("d2", 0, 0), a.Int("d3", 0, 0) };
        if (a.Failed) return null;
        if (order.SequenceEqual(PermuteSpec.ToChannelsLast) || order.SequenceEqual(PermuteSpec.ToChannelsFirst)) return new PermuteSpec(order);
        a.Fail(DiagnosticCodes.InvalidValue, a.CallRange,
            $"permute({string.Join(", ", order)}) is not supported: permute takes (0, 2, 3, 1), from CxHxW to channels-last HxWxC, or (0, 3, 1, 2), back",
            "these are the orders ConvNeXt uses around its per-position linear layers");
        return null;
    }

    /// <summary>A connection table: for each output map, the list of input maps it sees.</summary>
    private static IReadOnlyList<IReadOnlyList<int>>? Connections(BoundArguments a, long outChannels, long groups)
    {
        var value = a.Value("connections");
        if (value is null) return null;
        var range = a.RangeOf("connections");
        if (value is not ListValue table || table.Items.Any(row => row is not ListValue r || r.Items.Any(i => i is not IntValue)))
        {
            a.Fail(DiagnosticCodes.ArgumentType, range, "`connections` of conv must be a list of lists of input map numbers, one list per output map");
            return null;
        }

        var rows = table.Items.Select(row => (IReadOnlyList<int>)((ListValue)row).Items.Select(i => ((IntValue)i).Value).Select(v => v is < 0 or > int.MaxValue ? -1 : (int)v).ToList()).ToList();
        if (rows.Count != outChannels)
        {
            a.Fail(DiagnosticCodes.InvalidValue, range, $"conv has {outChannels} output maps but its connection table has {rows.Count} rows");
        }
        else if (groups != 1)
        {
            a.Fail(DiagnosticCodes.InvalidValue, range, "a conv with a connection table cannot also have groups");
        }
        else if (rows.Any(r => r.Count == 0 || r.Contains(-1) || r.Distinct().Count() != r.Count))
        {
            a.Fail(DiagnosticCodes.InvalidValue, range, "each row of a connection table lists distinct input maps (0 or more), at least one");
        }

        return rows;
    }

    private static LayerSpec? BuildPool(BoundArguments a, PoolKind kind)
    {
        var kernel = a.IntPair("kernel", Pair.Square(1), 1);
        var stride = a.IntPair("stride", kernel, 1);
        var dilation = a.IntPair("dilation", Pair.Square(1), 1);
        var padding = Padding(a, kernel, stride, dilation);
        var ceil = a.Bool("ceil", false);
        var countIncludePad = a.Bool("count_include_pad", true);
        return Checked(a, new Pool2dSpec(kind, kernel, stride, padding, dilation, ceil, countIncludePad));
    }

    /// <summary>Explicit padding, or <c>same</c>/<c>valid</c>. PyTorch only supports 'same' at
    /// stride 1, and CnnDsl only where the padding is symmetric.</summary>
    private static Pair Padding(BoundArguments a, Pair kernel, Pair stride, Pair dilation)
    {
        var mode = a.Text("pad");
        if (mode is null) return a.IntPair("pad", Pair.Square(0), 0);
        if (mode == "valid") return Pair.Square(0);
        if (mode != "same")
        {
            a.Fail(DiagnosticCodes.ArgumentType, a.RangeOf("pad"),
                $"`pad` of {a.Callee} must be an integer, [height, width], `same` or `valid`, but is the string \"{mode}\"");
            return Pair.Square(0);
        }

        var spanH = dilation.H * (kernel.H - 1);
        var spanW = dilation.W * (kernel.W - 1);
        if (stride != Pair.Square(1) || spanH % 2 != 0 || spanW % 2 != 0)
        {
            a.Fail(DiagnosticCodes.SamePaddingImpossible, a.RangeOf("pad"),
                $"`pad: same` needs stride 1 and an odd effective kernel, but {a.Callee} has stride {stride} and kernel {kernel.H}x{kernel.W} with dilation {dilation}",
                "give the padding explicitly");
            return Pair.Square(0);
        }

        return new Pair(spanH / 2, spanW / 2);
    }
}
