using System;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using static CnnDsl.Export.Onnx.OnnxGraphBuilder;

namespace CnnDsl.Export.Onnx;

/// <summary>Each layer kind of the language as ONNX operators, in eval mode (dropout and
/// stochastic depth pass their input through; batch norm uses its running statistics). Every
/// figure comes from the layer's spec and the shapes Dsl inferred; a kind not listed here is an
/// <see cref="ExportException"/> naming it.</summary>
internal static class OnnxLayers
{
    /// <summary>The value the layer makes of <paramref name="x"/>.</summary>
    public static string Emit(OnnxGraphBuilder g, LayerInfo layer, string x)
    {
        var p = layer.Path;
        var input = layer.Input;
        switch (layer.Spec)
        {
            case Conv2dSpec { Connections: { } table } conv:
                return PartialConv(g, layer, conv, table, x);
            case Conv2dSpec conv:
                return g.Node("Conv", p, WithBias(g, layer, conv.Bias, x),
                    Ints("kernel_shape", conv.Kernel.H, conv.Kernel.W), Ints("strides", conv.Stride.H, conv.Stride.W),
                    Ints("pads", conv.Padding.H, conv.Padding.W, conv.Padding.H, conv.Padding.W),
                    Ints("dilations", conv.Dilation.H, conv.Dilation.W), Int("group", conv.Groups));
            case ConvTranspose2dSpec t:
                return g.Node("ConvTranspose", p, WithBias(g, layer, t.Bias, x),
                    Ints("kernel_shape", t.Kernel.H, t.Kernel.W), Ints("strides", t.Stride.H, t.Stride.W),
                    Ints("pads", t.Padding.H, t.Padding.W, t.Padding.H, t.Padding.W),
                    Ints("output_padding", t.OutputPadding.H, t.OutputPadding.W),
                    Ints("dilations", t.Dilation.H, t.Dilation.W), Int("group", t.Groups));
            case Pool2dSpec pool:
                return Pool(g, layer, pool, x);
            case AdaptiveAvgPool2dSpec adaptive:
                return AdaptiveAverage(g, p, input, adaptive.OutputSize, x);
            case LinearSpec linear:
                return Linear(g, layer, linear, x);
            case FlattenSpec:
                return g.Node("Flatten", p, new[] { x }, Int("axis", 1));
            case BatchNormSpec bn:
                return g.Node("BatchNormalization", p,
                    new[] { x, g.Weight(layer, "weight"), g.Weight(layer, "bias"), g.Weight(layer, "running_mean"), g.Weight(layer, "running_var") },
                    Float("epsilon", bn.Epsilon));
            case InstanceNormSpec instance:
                return InstanceNorm(g, layer, instance, x);
            case GroupNormSpec group:
                return GroupNorm(g, layer, group, x);
            case LayerNormSpec norm:
                return LayerNorm(g, layer, norm, x);
            case LocalResponseNormSpec lrn:
                // PyTorch pads the window by size / 2 before and (size - 1) / 2 after, ONNX the
                // other way round: the same only for odd sizes.
                if (lrn.Size % 2 == 0) throw Unsupported(layer, $"an even window ({lrn.Size}) pads differently in ONNX's LRN than in PyTorch's");
                return g.Node("LRN", p, new[] { x }, Int("size", lrn.Size), Float("alpha", lrn.Alpha), Float("beta", lrn.Beta), Float("bias", lrn.K));
            case ActivationSpec { Function: ActivationKind.Softmax } softmax:
                return g.Node("Softmax", p, new[] { x }, Int("axis", softmax.Dimension));
            case ActivationSpec activation:
                return g.Node(activation.Function switch
                {
                    ActivationKind.ReLU => "Relu",
                    ActivationKind.Sigmoid => "Sigmoid",
                    ActivationKind.Tanh => "Tanh",
                    _ => throw Unsupported(layer, $"the activation {activation.Function}"),
                }, p, new[] { x });
            case Relu6Spec:
                return g.Node("Clip", p, new[] { x, g.Float(0), g.Float(6) });
            case HardswishSpec:
                return g.Node("HardSwish", p, new[] { x });
            case HardsigmoidSpec:
                // PyTorch's hardsigmoid is relu6(x + 3) / 6.
                return g.Node("HardSigmoid", p, new[] { x }, Float("alpha", 1.0 / 6), Float("beta", 0.5));
            case SiluSpec:
                return g.Node("Mul", p, new[] { x, g.Node("Sigmoid", p, new[] { x }) });
            case MishSpec:
                return g.Node("Mul", p, new[] { x, g.Node("Tanh", p, new[] { g.Node("Softplus", p, new[] { x }) }) });
            case GeluSpec gelu:
                return Gelu(g, p, gelu, x);
            case EluSpec elu:
                return g.Node("Elu", p, new[] { x }, Float("alpha", elu.Alpha));
            case LeakyReluSpec leaky:
                return g.Node("LeakyRelu", p, new[] { x }, Float("alpha", leaky.Slope));
            case PreluSpec:
                // PyTorch applies a per-channel slope along dimension 1.
                var slope = g.Weight(layer, "weight");
                if (input.Rank == 3) slope = g.Unsqueeze(p, slope, 1, 2);
                return g.Node("PRelu", p, new[] { x, slope });
            case ScaledTanhSpec squash:
                return g.Node("Mul", p, new[] { g.Node("Tanh", p, new[] { g.Node("Mul", p, new[] { x, g.Float((float)squash.Slope) }) }), g.Float((float)squash.Amplitude) });
            case SubsamplingSpec sub:
                return Subsampling(g, layer, sub, x);
            case RbfSpec:
                var difference = g.Node("Sub", p, new[] { g.Unsqueeze(p, x, 1), g.Weight(layer, "codes") });
                return g.ReduceSum(p, g.Node("Mul", p, new[] { difference, difference }), new[] { 2L }, keepDims: false);
            case LayerScaleSpec:
                return g.Node("Mul", p, new[] { x, g.Weight(layer, "") });
            case PermuteSpec permute:
                return g.Node("Transpose", p, new[] { x }, Ints("perm", permute.Order.ToArray()));
            case UpsampleSpec up:
                var scales = g.Floats("scales", new long[] { 4 }, 1, 1, up.Scale.H, up.Scale.W);
                return up.Mode == UpsampleMode.Nearest
                    ? g.Node("Resize", p, new[] { x, "", scales }, String("mode", "nearest"),
                        String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"))
                    : g.Node("Resize", p, new[] { x, "", scales }, String("mode", "linear"),
                        String("coordinate_transformation_mode", up.AlignCorners ? "align_corners" : "pytorch_half_pixel"));
            case ChannelAffineSpec affine:
                var channels = new long[] { affine.Scale.Length, 1, 1 };
                var scaled = g.Node("Mul", p, new[] { x, g.Floats("scale", channels, affine.Scale.Select(v => (float)v).ToArray()) });
                return g.Node("Add", p, new[] { scaled, g.Floats("shift", channels, affine.Shift.Select(v => (float)v).ToArray()) });
            case ChannelPadSpec pad:
                // Zero channels before and after: pads are (begin of each axis, then end of each axis) of N x C x H x W.
                return g.Node("Pad", p, new[] { x, g.Longs("pads", 0, pad.Before, 0, 0, 0, pad.After, 0, 0) });
            case ChannelShuffleSpec shuffle:
                var (c, h, w) = (input.Channels, input.Height, input.Width);
                var grouped = g.Node("Reshape", p, new[] { x, g.Longs("shape", 0, shuffle.Groups, c / shuffle.Groups, h, w) });
                var swapped = g.Node("Transpose", p, new[] { grouped }, Ints("perm", 0, 2, 1, 3, 4));
                return g.Node("Reshape", p, new[] { swapped, g.Longs("shape", 0, c, h, w) });
            case DropoutSpec or IdentitySpec or StochasticDepthSpec:
                return x;
            default:
                throw new ExportException(
                    $"ONNX export does not know the layer kind `{layer.Spec?.Kind}` ({layer.Spec?.GetType().Name}) at `{p}`: teach Export/Onnx/OnnxLayers.cs");
        }
    }

    public static ExportException Unsupported(LayerInfo layer, string what) =>
        new($"`{layer.Path}` ({layer.Spec?.Kind}): {what}, which the ONNX export cannot write");

    private static string[] WithBias(OnnxGraphBuilder g, LayerInfo layer, bool bias, string x) => bias
        ? new[] { x, g.Weight(layer, "weight"), g.Weight(layer, "bias") }
        : new[] { x, g.Weight(layer, "weight") };

    /// <summary>LeNet-5's C3: the packed kernels placed into a full [out, in, kH, kW] weight by a
    /// gather from (zero kernel, packed kernels), then an ordinary convolution. The initializer
    /// keeps the state_dict's packed shape.</summary>
    private static string PartialConv(OnnxGraphBuilder g, LayerInfo layer, Conv2dSpec conv, System.Collections.Generic.IReadOnlyList<System.Collections.Generic.IReadOnlyList<int>> table, string x)
    {
        var p = layer.Path;
        var inChannels = layer.Input.Channels;
        var (kh, kw) = (conv.Kernel.H, conv.Kernel.W);
        var index = new long[checked(conv.OutChannels * inChannels)];
        long next = 1;
        for (var j = 0; j < table.Count; j++)
        {
            foreach (var i in table[j]) index[j * inChannels + i] = next++;
        }

        var zero = g.Floats("zero_kernel", new long[] { 1, kh, kw }, new float[kh * kw]);
        var padded = g.Node("Concat", p, new[] { zero, g.Weight(layer, "weight") }, Int("axis", 0));
        var gathered = g.Node("Gather", p, new[] { padded, g.Longs("connections", index) }, Int("axis", 0));
        var full = g.Node("Reshape", p, new[] { gathered, g.Longs("shape", conv.OutChannels, inChannels, kh, kw) });
        var inputs = conv.Bias ? new[] { x, full, g.Weight(layer, "bias") } : new[] { x, full };
        return g.Node("Conv", p, inputs,
            Ints("kernel_shape", kh, kw), Ints("strides", conv.Stride.H, conv.Stride.W),
            Ints("pads", conv.Padding.H, conv.Padding.W, conv.Padding.H, conv.Padding.W));
    }

    /// <summary>Max and average pooling with PyTorch's output size. PyTorch's ceil mode drops a last
    /// window that would start in the padding; for max pooling the output Dsl inferred is reached
    /// with extra padding at the end (padding never wins a max), which says exactly which windows exist.</summary>
    private static string Pool(OnnxGraphBuilder g, LayerInfo layer, Pool2dSpec pool, string x)
    {
        var (input, output) = (layer.Input, layer.Output);
        var endH = EndPadding(input.Height, output.Height, pool.Kernel.H, pool.Stride.H, pool.Padding.H, pool.Dilation.H);
        var endW = EndPadding(input.Width, output.Width, pool.Kernel.W, pool.Stride.W, pool.Padding.W, pool.Dilation.W);
        if (pool.Pooling == PoolKind.Max)
        {
            return g.Node("MaxPool", layer.Path, new[] { x },
                Ints("kernel_shape", pool.Kernel.H, pool.Kernel.W), Ints("strides", pool.Stride.H, pool.Stride.W),
                Ints("pads", pool.Padding.H, pool.Padding.W, endH, endW), Ints("dilations", pool.Dilation.H, pool.Dilation.W));
        }

        if (pool.Dilation != Pair.Square(1)) throw Unsupported(layer, "a dilated average pooling");
        return g.Node("AveragePool", layer.Path, new[] { x },
            Ints("kernel_shape", pool.Kernel.H, pool.Kernel.W), Ints("strides", pool.Stride.H, pool.Stride.W),
            Ints("pads", pool.Padding.H, pool.Padding.W, pool.Padding.H, pool.Padding.W),
            Int("count_include_pad", pool.CountIncludePad ? 1 : 0),
            Int("ceil_mode", endH != pool.Padding.H || endW != pool.Padding.W ? 1 : 0));
    }

    /// <summary>The padding after the last row (or column) that makes a floor-mode window count
    /// give <paramref name="output"/>: the symmetric padding where that already does.</summary>
    private static long EndPadding(long input, long output, long kernel, long stride, long padding, long dilation)
    {
        var span = dilation * (kernel - 1) + 1;
        if ((input + 2 * padding - span) / stride + 1 == output) return padding;
        return (output - 1) * stride + span - input - padding;
    }

    /// <summary>PyTorch's adaptive average pooling: output cell i averages input rows
    /// floor(i n / m) to ceil((i + 1) n / m). A global or evenly dividing one is an ordinary
    /// pooling; otherwise each axis is cut into its windows, averaged and joined.</summary>
    private static string AdaptiveAverage(OnnxGraphBuilder g, string p, Shape input, Pair size, string x)
    {
        if (size.H == 1 && size.W == 1) return g.Node("GlobalAveragePool", p, new[] { x });
        if (input.Height % size.H == 0 && input.Width % size.W == 0)
        {
            var (kh, kw) = (input.Height / size.H, input.Width / size.W);
            if (kh == 1 && kw == 1) return x;
            return g.Node("AveragePool", p, new[] { x }, Ints("kernel_shape", kh, kw), Ints("strides", kh, kw));
        }

        var rows = AdaptiveAxis(g, p, x, 2, input.Height, size.H);
        return AdaptiveAxis(g, p, rows, 3, input.Width, size.W);
    }

    private static string AdaptiveAxis(OnnxGraphBuilder g, string p, string x, long axis, long n, long m)
    {
        if (n == m) return x;
        var cells = new string[m];
        for (long i = 0; i < m; i++)
        {
            var start = i * n / m;
            var end = ((i + 1) * n + m - 1) / m;
            var slice = g.Node("Slice", p, new[] { x, g.Longs("start", start), g.Longs("end", end), g.Longs("axis", axis) });
            cells[i] = g.ReduceMean(p, slice, new[] { axis }, keepDims: true);
        }

        return m == 1 ? cells[0] : g.Node("Concat", p, cells, Int("axis", axis));
    }

    /// <summary>On features, Gemm with the state_dict's [out, in] weight transposed; on a
    /// channels-last map (ConvNeXt's MLP), a matrix product over the last dimension.</summary>
    private static string Linear(OnnxGraphBuilder g, LayerInfo layer, LinearSpec linear, string x)
    {
        var p = layer.Path;
        if (layer.Input.Rank == 1)
        {
            return g.Node("Gemm", p, WithBias(g, layer, linear.Bias, x), Int("transB", 1));
        }

        var transposed = g.Node("Transpose", p, new[] { g.Weight(layer, "weight") }, Ints("perm", 1, 0));
        var product = g.Node("MatMul", p, new[] { x, transposed });
        return linear.Bias ? g.Node("Add", p, new[] { product, g.Weight(layer, "bias") }) : product;
    }

    /// <summary>In eval mode an instance norm that tracks running statistics normalises with them
    /// (a batch norm); one that does not normalises each sample's channel over its positions.</summary>
    private static string InstanceNorm(OnnxGraphBuilder g, LayerInfo layer, InstanceNormSpec spec, string x)
    {
        var p = layer.Path;
        var c = layer.Input.Channels;
        var scale = spec.Affine ? g.Weight(layer, "weight") : g.Floats("ones", new[] { c }, Enumerable.Repeat(1f, (int)c).ToArray());
        var shift = spec.Affine ? g.Weight(layer, "bias") : g.Floats("zeros", new[] { c }, new float[c]);
        return spec.TrackRunningStats
            ? g.Node("BatchNormalization", p, new[] { x, scale, shift, g.Weight(layer, "running_mean"), g.Weight(layer, "running_var") }, Float("epsilon", spec.Epsilon))
            : g.Node("InstanceNormalization", p, new[] { x, scale, shift }, Float("epsilon", spec.Epsilon));
    }

    /// <summary>(x - mean) / sqrt(var + eps) over each group of channels and all positions of a
    /// sample, then the per-channel weight and bias. Written out: ONNX's GroupNormalization
    /// (opset 18) scaled per group until opset 21.</summary>
    private static string GroupNorm(OnnxGraphBuilder g, LayerInfo layer, GroupNormSpec spec, string x)
    {
        var p = layer.Path;
        var grouped = g.Node("Reshape", p, new[] { x, g.Longs("shape", 0, spec.Groups, -1) });
        var centred = g.Node("Sub", p, new[] { grouped, g.ReduceMean(p, grouped, new[] { 2L }, keepDims: true) });
        var variance = g.ReduceMean(p, g.Node("Mul", p, new[] { centred, centred }), new[] { 2L }, keepDims: true);
        var deviation = g.Node("Sqrt", p, new[] { g.Node("Add", p, new[] { variance, g.Float((float)spec.Epsilon) }) });
        var normalized = g.Node("Reshape", p, new[] { g.Node("Div", p, new[] { centred, deviation }), g.Node("Shape", p, new[] { x }) });
        var (weight, bias) = (g.Weight(layer, "weight"), g.Weight(layer, "bias"));
        if (layer.Input.Rank == 3)
        {
            weight = g.Unsqueeze(p, weight, 1, 2);
            bias = g.Unsqueeze(p, bias, 1, 2);
        }

        return g.Node("Add", p, new[] { g.Node("Mul", p, new[] { normalized, weight }), bias });
    }

    /// <summary>Over the channels: of each position of a C x H x W map (torchvision's LayerNorm2d,
    /// which permutes to channels-last and back), or of the last dimension.</summary>
    private static string LayerNorm(OnnxGraphBuilder g, LayerInfo layer, LayerNormSpec spec, string x)
    {
        var p = layer.Path;
        var inputs = new[] { x, g.Weight(layer, "weight"), g.Weight(layer, "bias") };
        if (!layer.Input.IsImage) return g.Node("LayerNormalization", p, inputs, Int("axis", -1), Float("epsilon", spec.Epsilon));
        inputs[0] = g.Node("Transpose", p, new[] { x }, Ints("perm", 0, 2, 3, 1));
        var normalized = g.Node("LayerNormalization", p, inputs, Int("axis", -1), Float("epsilon", spec.Epsilon));
        return g.Node("Transpose", p, new[] { normalized }, Ints("perm", 0, 3, 1, 2));
    }

    /// <summary>x Φ(x) with the exact error function, or PyTorch's tanh approximation.</summary>
    private static string Gelu(OnnxGraphBuilder g, string p, GeluSpec spec, string x)
    {
        string inner;
        if (spec.TanhApproximation)
        {
            var cube = g.Node("Mul", p, new[] { g.Node("Mul", p, new[] { x, x }), x });
            var sum = g.Node("Add", p, new[] { x, g.Node("Mul", p, new[] { cube, g.Float(0.044715f) }) });
            inner = g.Node("Tanh", p, new[] { g.Node("Mul", p, new[] { sum, g.Float((float)Math.Sqrt(2 / Math.PI)) }) });
        }
        else
        {
            inner = g.Node("Erf", p, new[] { g.Node("Mul", p, new[] { x, g.Float((float)(1 / Math.Sqrt(2))) }) });
        }

        var half = g.Node("Mul", p, new[] { x, g.Float(0.5f) });
        return g.Node("Mul", p, new[] { half, g.Node("Add", p, new[] { inner, g.Float(1f) }) });
    }

    /// <summary>LeNet-5's S2/S4: each window's sum (an average times the window's size), times a
    /// per-map coefficient, plus a per-map bias.</summary>
    private static string Subsampling(OnnxGraphBuilder g, LayerInfo layer, SubsamplingSpec spec, string x)
    {
        var p = layer.Path;
        var average = g.Node("AveragePool", p, new[] { x },
            Ints("kernel_shape", spec.Kernel.H, spec.Kernel.W), Ints("strides", spec.Stride.H, spec.Stride.W));
        var sum = g.Node("Mul", p, new[] { average, g.Float(spec.Kernel.H * spec.Kernel.W) });
        var scaled = g.Node("Mul", p, new[] { sum, g.Unsqueeze(p, g.Weight(layer, "weight"), 1, 2) });
        return g.Node("Add", p, new[] { scaled, g.Unsqueeze(p, g.Weight(layer, "bias"), 1, 2) });
    }
}
