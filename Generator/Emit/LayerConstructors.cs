using System;
using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Generator.Emit;

/// <summary>The TorchSharp call that builds each kind of layer, with every argument spelled out.</summary>
public static class LayerConstructors
{
    private const string Nn = "global::TorchSharp.torch.nn.";

    private const string Runtime = "global::CnnDsl.Runtime.Layers.";

    /// <summary>The module type, as Dsl names it: TorchSharp's (Conv2d, BatchNorm2d, ...) or,
    /// for LeNet-5's own layers, the Runtime's.</summary>
    public static string TypeOf(LayerSpec spec, Shape input) => spec switch
    {
        Conv2dSpec { Connections: not null } or SubsamplingSpec or ScaledTanhSpec or RbfSpec => Runtime + spec.ModuleType(input),
        _ => "global::TorchSharp.Modules." + spec.ModuleType(input),
    };

    public static string Construct(LayerSpec spec, Shape input) => spec switch
    {
        Conv2dSpec { Connections: { } table } c => "new " + Runtime + "PartialConv2d(" + Literals.Int(input.Channels) + ", " + Literals.Int(c.OutChannels)
            + ", kernel: " + Pair(c.Kernel) + ", stride: " + Pair(c.Stride) + ", padding: " + Pair(c.Padding)
            + ", connections: new int[][] { " + string.Join(", ", table.Select(row => "new[] { " + string.Join(", ", row) + " }")) + " }"
            + ", bias: " + Literals.Bool(c.Bias) + ")",
        Conv2dSpec c => Nn + "Conv2d(" + Literals.Int(input.Channels) + ", " + Literals.Int(c.OutChannels)
            + ", kernel_size: " + Pair(c.Kernel) + ", stride: " + Pair(c.Stride) + ", padding: " + Pair(c.Padding)
            + ", dilation: " + Pair(c.Dilation) + ", groups: " + Literals.Int(c.Groups) + ", bias: " + Literals.Bool(c.Bias) + ")",
        Pool2dSpec { Pooling: PoolKind.Max } p => Nn + "MaxPool2d(kernel_size: " + Pair(p.Kernel) + ", stride: " + Pair(p.Stride)
            + ", padding: " + Pair(p.Padding) + ", dilation: " + Pair(p.Dilation) + ", ceil_mode: " + Literals.Bool(p.CeilMode) + ")",
        Pool2dSpec p => Nn + "AvgPool2d(kernel_size: " + Pair(p.Kernel) + ", stride: " + Pair(p.Stride)
            + ", padding: " + Pair(p.Padding) + ", ceil_mode: " + Literals.Bool(p.CeilMode)
            + ", count_include_pad: " + Literals.Bool(p.CountIncludePad) + ")",
        AdaptiveAvgPool2dSpec a => Nn + "AdaptiveAvgPool2d(" + Pair(a.OutputSize) + ")",
        LinearSpec l => Nn + "Linear(" + Literals.Int(input.Channels) + ", " + Literals.Int(l.OutFeatures) + ", hasBias: " + Literals.Bool(l.Bias) + ")",
        ConvTranspose2dSpec t => Nn + "ConvTranspose2d(" + Literals.Int(input.Channels) + ", " + Literals.Int(t.OutChannels)
            + ", kernel_size: " + Pair(t.Kernel) + ", stride: " + Pair(t.Stride) + ", padding: " + Pair(t.Padding)
            + ", output_padding: " + Pair(t.OutputPadding) + ", dilation: " + Pair(t.Dilation) + ", groups: " + Literals.Int(t.Groups)
            + ", bias: " + Literals.Bool(t.Bias) + ")",
        UpsampleSpec u => Nn + "Upsample(scale_factor: new double[] { " + Literals.Double(u.Scale.H) + ", " + Literals.Double(u.Scale.W) + " }"
            + ", mode: global::TorchSharp.UpsampleMode." + u.Mode
            + (u.Mode == UpsampleMode.Bilinear ? ", align_corners: " + Literals.Bool(u.AlignCorners) : "") + ")",
        IdentitySpec => Nn + "Identity()",
        ScaledTanhSpec st => "new " + Runtime + "ScaledTanh(" + Literals.Double(st.Amplitude) + ", " + Literals.Double(st.Slope) + ")",
        SubsamplingSpec ss => "new " + Runtime + "TrainableSubsampling(" + Literals.Int(input.Channels) + ", " + Literals.Int(ss.Kernel.H) + ", " + Literals.Int(ss.Stride.H) + ")",
        RbfSpec r => "new " + Runtime + "RbfOutput(" + Literals.Int(input.Channels) + ", " + Literals.Int(r.Classes) + ")",
        FlattenSpec => Nn + "Flatten()",
        ActivationSpec { Function: ActivationKind.ReLU } => Nn + "ReLU()",
        ActivationSpec { Function: ActivationKind.Sigmoid } => Nn + "Sigmoid()",
        ActivationSpec { Function: ActivationKind.Tanh } => Nn + "Tanh()",
        ActivationSpec a => Nn + "Softmax(dim: " + Literals.Int(a.Dimension) + ")",
        DropoutSpec d => Nn + "Dropout(p: " + Literals.Double(d.Probability) + ")",
        BatchNormSpec b => Nn + (input.IsImage ? "BatchNorm2d(" : "BatchNorm1d(") + Literals.Int(input.Channels)
            + ", eps: " + Literals.Double(b.Epsilon) + ", momentum: " + Literals.Double(b.Momentum) + ")",
        LocalResponseNormSpec n => Nn + "LocalResponseNorm(" + Literals.Int(n.Size) + ", alpha: " + Literals.Double(n.Alpha)
            + ", beta: " + Literals.Double(n.Beta) + ", k: " + Literals.Double(n.K) + ")",
        _ => throw new NotSupportedException($"no TorchSharp constructor for layer kind '{spec.Kind}'"),
    };

    private static string Pair(Pair pair) => Literals.Tuple(pair.H, pair.W);
}
