using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Export.PyTorch;

/// <summary>Each layer kind of the language as the PyTorch module that has the same
/// <c>state_dict</c> entries and forward as the C# one: a <c>torch.nn</c> constructor, or one of
/// <see cref="PythonSupport"/>'s classes. A kind not listed here is an <see cref="ExportException"/>
/// naming it.</summary>
internal static class PythonLayers
{
    /// <summary>The constructor expression of the layer's module, and the support class it needs (or null).</summary>
    public static (string Expression, string? Support) Module(LayerInfo layer, IReadOnlyDictionary<string, StateTensor>? weights)
    {
        var input = layer.Input;
        var c = input.Channels;
        switch (layer.Spec)
        {
            case Conv2dSpec { Connections: { } table } conv:
                return ($"PartialConv2d({c}, {conv.OutChannels}, {Pair(conv.Kernel)}, {Pair(conv.Stride)}, {Pair(conv.Padding)}, "
                    + $"connections=[{string.Join(", ", table.Select(row => "[" + string.Join(", ", row) + "]"))}], bias={Bool(conv.Bias)})", "PartialConv2d");
            case Conv2dSpec conv:
                return ($"nn.Conv2d({c}, {conv.OutChannels}, kernel_size={Pair(conv.Kernel)}, stride={Pair(conv.Stride)}, padding={Pair(conv.Padding)}"
                    + $"{(conv.Dilation == Dsl.Layers.Pair.Square(1) ? "" : ", dilation=" + Pair(conv.Dilation))}"
                    + $"{(conv.Groups == 1 ? "" : ", groups=" + conv.Groups)}, bias={Bool(conv.Bias)})", null);
            case ConvTranspose2dSpec t:
                return ($"nn.ConvTranspose2d({c}, {t.OutChannels}, kernel_size={Pair(t.Kernel)}, stride={Pair(t.Stride)}, padding={Pair(t.Padding)}, "
                    + $"output_padding={Pair(t.OutputPadding)}, groups={t.Groups}, bias={Bool(t.Bias)}, dilation={Pair(t.Dilation)})", null);
            case Pool2dSpec { Pooling: PoolKind.Max } pool:
                return ($"nn.MaxPool2d(kernel_size={Pair(pool.Kernel)}, stride={Pair(pool.Stride)}, padding={Pair(pool.Padding)}, "
                    + $"dilation={Pair(pool.Dilation)}, ceil_mode={Bool(pool.CeilMode)})", null);
            case Pool2dSpec pool:
                return ($"nn.AvgPool2d(kernel_size={Pair(pool.Kernel)}, stride={Pair(pool.Stride)}, padding={Pair(pool.Padding)}, "
                    + $"ceil_mode={Bool(pool.CeilMode)}, count_include_pad={Bool(pool.CountIncludePad)})", null);
            case AdaptiveAvgPool2dSpec adaptive:
                return ($"nn.AdaptiveAvgPool2d({Pair(adaptive.OutputSize)})", null);
            case LinearSpec linear:
                return ($"nn.Linear({c}, {linear.OutFeatures}, bias={Bool(linear.Bias)})", null);
            case FlattenSpec:
                return ("nn.Flatten()", null);
            case BatchNormSpec bn:
                return ($"nn.BatchNorm{(input.IsImage ? 2 : 1)}d({c}, eps={Number(bn.Epsilon)}, momentum={Number(bn.Momentum)})", null);
            case InstanceNormSpec n:
                return ($"nn.InstanceNorm2d({c}, eps={Number(n.Epsilon)}, affine={Bool(n.Affine)}, track_running_stats={Bool(n.TrackRunningStats)})", null);
            case GroupNormSpec n:
                return ($"nn.GroupNorm({n.Groups}, {c}, eps={Number(n.Epsilon)})", null);
            case LayerNormSpec n when input.IsImage:
                return ($"LayerNorm2d({c}, eps={Number(n.Epsilon)})", "LayerNorm2d");
            case LayerNormSpec n:
                return ($"nn.LayerNorm({c}, eps={Number(n.Epsilon)})", null);
            case LocalResponseNormSpec lrn:
                return ($"nn.LocalResponseNorm({lrn.Size}, alpha={Number(lrn.Alpha)}, beta={Number(lrn.Beta)}, k={Number(lrn.K)})", null);
            case ActivationSpec a:
                return (a.Function switch
                {
                    ActivationKind.ReLU => "nn.ReLU()",
                    ActivationKind.Sigmoid => "nn.Sigmoid()",
                    ActivationKind.Tanh => "nn.Tanh()",
                    ActivationKind.Softmax => $"nn.Softmax(dim={a.Dimension})",
                    _ => throw Unknown(layer),
                }, null);
            case Relu6Spec:
                return ("nn.ReLU6()", null);
            case HardswishSpec:
                return ("nn.Hardswish()", null);
            case HardsigmoidSpec:
                return ("nn.Hardsigmoid()", null);
            case SiluSpec:
                return ("nn.SiLU()", null);
            case MishSpec:
                return ("nn.Mish()", null);
            case GeluSpec gelu:
                return (gelu.TanhApproximation ? "nn.GELU(approximate=\"tanh\")" : "nn.GELU()", null);
            case EluSpec elu:
                return ($"nn.ELU(alpha={Number(elu.Alpha)})", null);
            case LeakyReluSpec leaky:
                return ($"nn.LeakyReLU(negative_slope={Number(leaky.Slope)})", null);
            case PreluSpec prelu:
                return ($"nn.PReLU({(prelu.PerChannel ? c : 1)}, init={Number(prelu.Init)})", null);
            case ScaledTanhSpec s:
                return ($"ScaledTanh({Number(s.Amplitude)}, {Number(s.Slope)})", "ScaledTanh");
            case SubsamplingSpec s:
                if (s.Kernel.H != s.Kernel.W || s.Stride.H != s.Stride.W) throw new ExportException($"`{layer.Path}` (subsample): a non-square window, which the C# layer has not either");
                return ($"TrainableSubsampling({c}, kernel={s.Kernel.H}, stride={s.Stride.H})", "TrainableSubsampling");
            case RbfSpec rbf:
                return ($"RbfOutput({c}, {rbf.Classes}, codes={Codes(layer, weights)})", "RbfOutput");
            case PermuteSpec permute:
                return ($"Permute({string.Join(", ", permute.Order)})", "Permute");
            case StochasticDepthSpec sd:
                return ($"StochasticDepth({Number(sd.Probability)}, mode=\"{(sd.WholeBatch ? "batch" : "row")}\")", "StochasticDepth");
            case UpsampleSpec up:
                return (up.Mode == UpsampleMode.Nearest
                    ? $"nn.Upsample(scale_factor={FloatPair(up.Scale)}, mode=\"nearest\")"
                    : $"nn.Upsample(scale_factor={FloatPair(up.Scale)}, mode=\"bilinear\", align_corners={Bool(up.AlignCorners)})", null);
            case ChannelAffineSpec affine:
                return ($"ChannelAffine([{string.Join(", ", affine.Scale.Select(Number))}], [{string.Join(", ", affine.Shift.Select(Number))}])", "ChannelAffine");
            case ChannelPadSpec pad:
                return ($"ChannelPad({pad.Before}, {pad.After})", "ChannelPad");
            case ChannelShuffleSpec shuffle:
                return ($"ChannelShuffle({shuffle.Groups})", "ChannelShuffle");
            case DropoutSpec d:
                return ($"nn.Dropout(p={Number(d.Probability)})", null);
            case IdentitySpec:
                return ("nn.Identity()", null);
            default:
                throw Unknown(layer);
        }
    }

    /// <summary>A parameter-only layer (<see cref="Dsl.Layers.ModuleRegistration.ParentParameter"/>):
    /// the parameter's initial value, and how the forward applies it to <paramref name="x"/>.</summary>
    public static (string Initial, string Apply) ParentParameter(LayerInfo layer, string x, string reference) => layer.Spec switch
    {
        LayerScaleSpec scale => ($"nn.Parameter(torch.full(({layer.Input.Channels}, 1, 1), {Number(scale.Init)}))", $"{x} * {reference}"),
        _ => throw Unknown(layer),
    };

    public static ExportException Unknown(LayerInfo layer) => new(
        $"PyTorch export does not know the layer kind `{layer.Spec?.Kind}` ({layer.Spec?.GetType().Name}) at `{layer.Path}`: teach Export/PyTorch/PythonLayers.cs");

    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new ExportException($"{value} has no Python literal");
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    private static string Bool(bool value) => value ? "True" : "False";

    private static string Pair(Pair p) => $"({p.H}, {p.W})";

    private static string FloatPair(Pair p) => $"({p.H}.0, {p.W}.0)";

    /// <summary>The fixed codes are part of the architecture (not trained): the file carries them,
    /// as +1/-1 values, when the weights are given; otherwise zeros until weights are loaded.</summary>
    private static string Codes(LayerInfo layer, IReadOnlyDictionary<string, StateTensor>? weights)
    {
        var key = layer.Path + ".codes";
        if (weights is null || !weights.TryGetValue(key, out var codes))
        {
            var count = layer.Tensors.Single(t => t.Name == "codes").Elements;
            return $"[0.0] * {count}";
        }

        return "[" + string.Join(", ", codes.ToFloats().Select(v => Number(v))) + "]";
    }
}
