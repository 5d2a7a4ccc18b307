using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Hand-written TorchSharp MobileNetV2 (Sandler et al. 2018) following
/// torchvision.models.mobilenetv2 module for module: `features`, an nn.Sequential of a stride-2
/// 3x3 Conv2dNormActivation, the inverted residual blocks of the paper's Table 2 and a 1x1
/// Conv2dNormActivation to 1280 channels; then average pooling to 1x1 (functional, as torchvision),
/// flatten and `classifier` (Dropout, Linear). ReLU6 throughout. The attribute names, hence the
/// state_dict keys, are torchvision's. Independent of the DSL; a second engine for the generated
/// MobileNetV2. Written as a skilled user writes it (ReLU6 in place, as torchvision's
/// Conv2dNormActivation; submodules invoked with <c>call()</c>): it is also the hand-written
/// baseline of benchmarks/. Input 3 x H x W (224 x 224 for ImageNet), output the class logits.</summary>
public sealed class MobileNetV2Reference : Module<Tensor, Tensor>
{
    /// <summary>The paper's Table 2 as torchvision writes it: expansion t, channels c, repeats n,
    /// stride s of the first repeat.</summary>
    private static readonly int[][] InvertedResidualSetting =
    {
        new[] { 1, 16, 1, 1 },
        new[] { 6, 24, 2, 2 },
        new[] { 6, 32, 3, 2 },
        new[] { 6, 64, 4, 2 },
        new[] { 6, 96, 3, 1 },
        new[] { 6, 160, 3, 2 },
        new[] { 6, 320, 1, 1 },
    };

    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <summary>torchvision.models.mobilenet_v2(num_classes, width_mult, round_nearest, dropout).</summary>
    /// <param name="widthMult">every width is multiplied by it, then rounded by
    /// <see cref="MobileNetBlocks.MakeDivisible"/>; the last one (1280) is never narrowed.</param>
    /// <param name="roundNearest">the multiple widths are rounded to (1: no rounding).</param>
    public MobileNetV2Reference(long numClasses = 1000, double widthMult = 1.0, long roundNearest = 8, double dropout = 0.2)
        : base("MobileNetV2")
    {
        var inputChannel = MobileNetBlocks.MakeDivisible(32 * widthMult, roundNearest);
        var lastChannel = MobileNetBlocks.MakeDivisible(1280 * Math.Max(1.0, widthMult), roundNearest);

        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("0", MobileNetBlocks.ConvNormActivation(3, inputChannel, kernelSize: 3, stride: 2, activation: () => ReLU6(inplace: true))),
        };
        foreach (var setting in InvertedResidualSetting)
        {
            var (t, c, n, s) = (setting[0], setting[1], setting[2], setting[3]);
            var outputChannel = MobileNetBlocks.MakeDivisible(c * widthMult, roundNearest);
            for (var i = 0; i < n; i++)
            {
                layers.Add((Index(layers.Count), new InvertedResidual(inputChannel, outputChannel, i == 0 ? s : 1, t)));
                inputChannel = outputChannel;
            }
        }
        layers.Add((Index(layers.Count), MobileNetBlocks.ConvNormActivation(inputChannel, lastChannel, kernelSize: 1, activation: () => ReLU6(inplace: true))));

        features = Sequential(layers);
        classifier = Sequential(("0", Dropout(dropout)), ("1", Linear(lastChannel, numClasses)));
        RegisterComponents();
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = features.call(x);
        y = functional.adaptive_avg_pool2d(y, (1, 1)).flatten(1);
        return classifier.call(y).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.models.mobilenetv2.InvertedResidual: in `conv` (an nn.Sequential), a 1x1
/// Conv2dNormActivation expanding to round(C_in * t) channels (left out where t = 1), a 3x3
/// depthwise Conv2dNormActivation with the stride, then the linear bottleneck: a bias-free 1x1
/// Conv2d to C_out and a BatchNorm2d. The input is added where stride 1 keeps C_in = C_out.</summary>
public sealed class InvertedResidual : Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly bool useResConnect;

    /// <param name="inp">C_in.</param>
    /// <param name="oup">C_out.</param>
    /// <param name="stride">1 or 2 (H and W divided by it).</param>
    /// <param name="expandRatio">t: the hidden width is round(C_in * t).</param>
    /// <exception cref="ArgumentOutOfRangeException">stride is neither 1 nor 2.</exception>
    public InvertedResidual(long inp, long oup, long stride, double expandRatio) : base(nameof(InvertedResidual))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be 1 or 2");
        var hiddenDim = (long)Math.Round(inp * expandRatio, MidpointRounding.ToEven);
        useResConnect = stride == 1 && inp == oup;

        var layers = new List<(string, Module<Tensor, Tensor>)>();
        if (expandRatio != 1)
            layers.Add(("0", MobileNetBlocks.ConvNormActivation(inp, hiddenDim, kernelSize: 1, activation: () => ReLU6(inplace: true))));
        layers.Add((Index(layers.Count), MobileNetBlocks.ConvNormActivation(hiddenDim, hiddenDim, kernelSize: 3, stride: stride, groups: hiddenDim, activation: () => ReLU6(inplace: true))));
        layers.Add((Index(layers.Count), Conv2d(hiddenDim, oup, kernel_size: 1, bias: false)));
        layers.Add((Index(layers.Count), BatchNorm2d(oup)));
        conv = Sequential(layers);
        RegisterComponents();
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    public override Tensor forward(Tensor x)
    {
        if (!useResConnect) return conv.call(x);
        using var scope = NewDisposeScope();
        return x.add(conv.call(x)).MoveToOuterDisposeScope();
    }
}
