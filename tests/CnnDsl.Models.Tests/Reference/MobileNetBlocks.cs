using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>The pieces torchvision's mobile networks share (torchvision.ops.misc and
/// torchvision.models._utils), written for the hand-written MobileNetV2 and EfficientNet
/// references.</summary>
public static class MobileNetBlocks
{
    /// <summary>torchvision's <c>_make_divisible</c> (from TensorFlow's slim MobileNet): the
    /// multiple of <paramref name="divisor"/> nearest to <paramref name="value"/> (halves up), at
    /// least <paramref name="minValue"/> (default: the divisor), and never more than 10% below
    /// the value.</summary>
    public static long MakeDivisible(double value, long divisor, long? minValue = null)
    {
        var least = minValue ?? divisor;
        var rounded = Math.Max(least, (long)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }

    /// <summary>torchvision.ops.misc.Conv2dNormActivation with its defaults as the mobile networks
    /// use them: an nn.Sequential of "0" a bias-free Conv2d (padding (kernel - 1) / 2, so stride 1
    /// keeps H x W), "1" a BatchNorm2d and, where <paramref name="activation"/> is given, "2" that
    /// activation (torchvision builds it with inplace=True).</summary>
    /// <param name="inChannels">input channels C_in.</param>
    /// <param name="outChannels">output channels C_out (C_out x H/stride x W/stride).</param>
    /// <param name="eps">the batch norm's epsilon (torchvision: 1e-5; EfficientNet B5-B7 1e-3).</param>
    /// <param name="momentum">the batch norm's momentum (torchvision: 0.1; EfficientNet B5-B7 0.01).</param>
    public static Sequential ConvNormActivation(
        long inChannels, long outChannels, long kernelSize = 3, long stride = 1, long groups = 1,
        Func<Module<Tensor, Tensor>>? activation = null, double eps = 1e-5, double momentum = 0.1)
    {
        var conv = Conv2d(inChannels, outChannels, kernel_size: kernelSize, stride: stride, padding: (kernelSize - 1) / 2, groups: groups, bias: false);
        var norm = BatchNorm2d(outChannels, eps: eps, momentum: momentum);
        return activation is null
            ? Sequential(("0", conv), ("1", norm))
            : Sequential(("0", conv), ("1", norm), ("2", activation()));
    }
}

/// <summary>torchvision.ops.misc.SqueezeExcitation: the input (C x H x W) times a per-channel
/// gate computed from it: global average pool, fc1 (a 1x1 Conv2d with bias, C to S channels),
/// activation, fc2 (S to C), scale_activation (a sigmoid). The attribute names are torchvision's.</summary>
public sealed class SqueezeExcitation : Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly Module<Tensor, Tensor> activation;
    private readonly Module<Tensor, Tensor> scale_activation;

    /// <param name="inputChannels">C, the channels of the tensor that is gated.</param>
    /// <param name="squeezeChannels">S, the channels between fc1 and fc2.</param>
    /// <param name="activation">the activation between fc1 and fc2 (torchvision's default ReLU;
    /// EfficientNet passes SiLU(inplace=True)).</param>
    public SqueezeExcitation(long inputChannels, long squeezeChannels, Module<Tensor, Tensor> activation) : base(nameof(SqueezeExcitation))
    {
        avgpool = AdaptiveAvgPool2d(1);
        fc1 = Conv2d(inputChannels, squeezeChannels, kernel_size: 1);
        fc2 = Conv2d(squeezeChannels, inputChannels, kernel_size: 1);
        this.activation = activation;
        scale_activation = Sigmoid();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var scale = scale_activation.call(fc2.call(activation.call(fc1.call(avgpool.call(input)))));
        return scale.mul(input).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.ops.StochasticDepth in "row" mode: in training, each sample's residual
/// branch is kept with probability 1 - p and then scaled by 1 / (1 - p); in eval mode, or with
/// p = 0, the input passes unchanged (the same tensor). No parameters or buffers.</summary>
public sealed class StochasticDepth : Module<Tensor, Tensor>
{
    /// <param name="p">the probability of dropping a sample's branch, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1].</exception>
    public StochasticDepth(double p) : base(nameof(StochasticDepth))
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "the drop probability must be in [0, 1]");
        P = p;
    }

    /// <summary>The probability of dropping a sample's branch.</summary>
    public double P { get; }

    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0) return input;
        using var scope = NewDisposeScope();
        var survival = 1 - P;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        var noise = empty(shape, input.dtype, input.device).bernoulli_(survival);
        if (survival > 0) noise.div_(survival);
        return input.mul(noise).MoveToOuterDisposeScope();
    }
}
