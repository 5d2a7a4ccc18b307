using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Hand-written TorchSharp EfficientNet B0-B7 (Tan and Le 2019) following
/// torchvision.models.efficientnet module for module: `features`, an nn.Sequential of "0" a
/// stride-2 3x3 Conv2dNormActivation, "1".."7" one nn.Sequential of <see cref="MBConv"/> blocks per
/// stage of the paper's Table 1 (widths scaled and rounded by make_divisible, depths scaled and
/// rounded up) and "8" a 1x1 Conv2dNormActivation to 4 x the last stage's width; then `avgpool`
/// (to 1x1), flatten and `classifier` (Dropout in place, Linear). SiLU throughout; stochastic
/// depth rising linearly from 0 to 0.2 over the blocks. The attribute names, hence the state_dict
/// keys, are torchvision's. Independent of the DSL; a second engine for the generated
/// EfficientNets. Written as a skilled user writes it (SiLU in place as torchvision's
/// Conv2dNormActivation, the residual added in place as torchvision's <c>result += input</c>,
/// submodules invoked with <c>call()</c>): B0 is also the hand-written baseline of benchmarks/.
/// Input 3 x H x W (224 x 224 for B0), output the class logits.</summary>
public sealed class EfficientNetReference : Module<Tensor, Tensor>
{
    /// <summary>B0's stages (torchvision's MBConvConfig list, the paper's Table 1): expansion,
    /// kernel, stride, input channels, output channels, layers.</summary>
    private static readonly int[][] Stages =
    {
        new[] { 1, 3, 1, 32, 16, 1 },
        new[] { 6, 3, 2, 16, 24, 2 },
        new[] { 6, 5, 2, 24, 40, 2 },
        new[] { 6, 3, 2, 40, 80, 3 },
        new[] { 6, 5, 1, 80, 112, 3 },
        new[] { 6, 5, 2, 112, 192, 4 },
        new[] { 6, 3, 1, 192, 320, 1 },
    };

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <summary>torchvision.models.efficientnet_b0(): width 1.0, depth 1.0, dropout 0.2.</summary>
    public static EfficientNetReference B0(long numClasses = 1000) => new(1.0, 1.0, 0.2, numClasses: numClasses);

    /// <summary>torchvision.models.efficientnet_b1(): width 1.0, depth 1.1, dropout 0.2.</summary>
    public static EfficientNetReference B1(long numClasses = 1000) => new(1.0, 1.1, 0.2, numClasses: numClasses);

    /// <summary>torchvision.models.efficientnet_b2(): width 1.1, depth 1.2, dropout 0.3.</summary>
    public static EfficientNetReference B2(long numClasses = 1000) => new(1.1, 1.2, 0.3, numClasses: numClasses);

    /// <summary>torchvision.models.efficientnet_b3(): width 1.2, depth 1.4, dropout 0.3.</summary>
    public static EfficientNetReference B3(long numClasses = 1000) => new(1.2, 1.4, 0.3, numClasses: numClasses);

    /// <summary>torchvision.models.efficientnet_b4(): width 1.4, depth 1.8, dropout 0.4.</summary>
    public static EfficientNetReference B4(long numClasses = 1000) => new(1.4, 1.8, 0.4, numClasses: numClasses);

    /// <summary>torchvision.models.efficientnet_b5(): width 1.6, depth 2.2, dropout 0.4, batch
    /// norm eps 0.001 and momentum 0.01 (TensorFlow's).</summary>
    public static EfficientNetReference B5(long numClasses = 1000) => new(1.6, 2.2, 0.4, 1e-3, 0.01, numClasses);

    /// <summary>torchvision.models.efficientnet_b6(): width 1.8, depth 2.6, dropout 0.5, TensorFlow's batch norm.</summary>
    public static EfficientNetReference B6(long numClasses = 1000) => new(1.8, 2.6, 0.5, 1e-3, 0.01, numClasses);

    /// <summary>torchvision.models.efficientnet_b7(): width 2.0, depth 3.1, dropout 0.5, TensorFlow's batch norm.</summary>
    public static EfficientNetReference B7(long numClasses = 1000) => new(2.0, 3.1, 0.5, 1e-3, 0.01, numClasses);

    /// <param name="widthMult">multiplies every stage's channels (then make_divisible by 8).</param>
    /// <param name="depthMult">multiplies every stage's number of layers (then rounded up).</param>
    /// <param name="dropout">the classifier's dropout probability.</param>
    /// <param name="eps">every batch norm's epsilon.</param>
    /// <param name="momentum">every batch norm's momentum.</param>
    /// <param name="stochasticDepthProb">the last block's stochastic depth probability (block i of
    /// N gets this times i / N).</param>
    public EfficientNetReference(double widthMult, double depthMult, double dropout, double eps = 1e-5, double momentum = 0.1,
        long numClasses = 1000, double stochasticDepthProb = 0.2)
        : base("EfficientNet")
    {
        long Width(long channels) => MobileNetBlocks.MakeDivisible(channels * widthMult, 8);
        int Depth(int layers) => checked((int)Math.Ceiling(layers * depthMult));

        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("0", MobileNetBlocks.ConvNormActivation(3, Width(Stages[0][3]), kernelSize: 3, stride: 2, activation: () => SiLU(inplace: true), eps: eps, momentum: momentum)),
        };

        var totalBlocks = 0;
        foreach (var stage in Stages) totalBlocks += Depth(stage[5]);

        var blockId = 0;
        foreach (var stage in Stages)
        {
            var (expandRatio, kernel, stride, inputChannels, outChannels) = (stage[0], stage[1], stage[2], Width(stage[3]), Width(stage[4]));
            var blocks = new List<(string, Module<Tensor, Tensor>)>();
            for (var i = 0; i < Depth(stage[5]); i++)
            {
                var probability = stochasticDepthProb * blockId / totalBlocks;
                blocks.Add((Index(i), new MBConv(i == 0 ? inputChannels : outChannels, outChannels, expandRatio, kernel, i == 0 ? stride : 1, probability, eps, momentum)));
                blockId++;
            }
            layers.Add((Index(layers.Count), Sequential(blocks)));
        }

        var lastInput = Width(Stages[^1][4]);
        var lastOutput = 4 * lastInput;
        layers.Add((Index(layers.Count), MobileNetBlocks.ConvNormActivation(lastInput, lastOutput, kernelSize: 1, activation: () => SiLU(inplace: true), eps: eps, momentum: momentum)));

        features = Sequential(layers);
        avgpool = AdaptiveAvgPool2d(1);
        classifier = Sequential(("0", Dropout(dropout, inplace: true)), ("1", Linear(lastOutput, numClasses)));
        RegisterComponents();
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = features.call(x);
        y = avgpool.call(y).flatten(1);
        return classifier.call(y).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.models.efficientnet.MBConv: in `block` (an nn.Sequential), a 1x1
/// Conv2dNormActivation expanding to make_divisible(C_in * e, 8) channels (left out where that is
/// C_in), a k x k depthwise Conv2dNormActivation with the stride, a <see cref="SqueezeExcitation"/>
/// squeezing to max(1, C_in / 4) channels with SiLU, and a 1x1 Conv2dNormActivation to C_out
/// without activation; SiLU in the others. Where stride 1 keeps C_in = C_out, the block's output
/// passes `stochastic_depth` and the input is added.</summary>
public sealed class MBConv : Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly StochasticDepth stochastic_depth;
    private readonly bool useResConnect;

    /// <param name="inputChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <param name="expandRatio">e: the hidden width is make_divisible(C_in * e, 8).</param>
    /// <param name="kernel">the depthwise convolution's kernel size (3 or 5).</param>
    /// <param name="stride">1 or 2 (H and W divided by it).</param>
    /// <param name="stochasticDepthProb">the probability of dropping the block's branch in training.</param>
    /// <exception cref="ArgumentOutOfRangeException">stride is neither 1 nor 2.</exception>
    public MBConv(long inputChannels, long outChannels, double expandRatio, long kernel, long stride, double stochasticDepthProb,
        double eps = 1e-5, double momentum = 0.1)
        : base(nameof(MBConv))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be 1 or 2");
        useResConnect = stride == 1 && inputChannels == outChannels;

        var expanded = MobileNetBlocks.MakeDivisible(inputChannels * expandRatio, 8);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        if (expanded != inputChannels)
            layers.Add(("0", MobileNetBlocks.ConvNormActivation(inputChannels, expanded, kernelSize: 1, activation: () => SiLU(inplace: true), eps: eps, momentum: momentum)));
        layers.Add((Index(layers.Count), MobileNetBlocks.ConvNormActivation(expanded, expanded, kernelSize: kernel, stride: stride, groups: expanded,
            activation: () => SiLU(inplace: true), eps: eps, momentum: momentum)));
        layers.Add((Index(layers.Count), new SqueezeExcitation(expanded, Math.Max(1, inputChannels / 4), SiLU(inplace: true))));
        layers.Add((Index(layers.Count), MobileNetBlocks.ConvNormActivation(expanded, outChannels, kernelSize: 1, eps: eps, momentum: momentum)));
        block = Sequential(layers);
        stochastic_depth = new StochasticDepth(stochasticDepthProb);
        RegisterComponents();
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    public override Tensor forward(Tensor input)
    {
        if (!useResConnect) return block.call(input);
        using var scope = NewDisposeScope();
        var result = stochastic_depth.call(block.call(input));
        result.add_(input);
        return result.MoveToOuterDisposeScope();
    }
}
