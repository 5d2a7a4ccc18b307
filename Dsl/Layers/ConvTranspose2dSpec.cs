using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>Transposed convolution: out = (in - 1) * stride - 2 * pad + dilation * (kernel - 1)
/// + output_pad + 1, PyTorch's rule.</summary>
public sealed record ConvTranspose2dSpec(
    long OutChannels, Pair Kernel, Pair Stride, Pair Padding, Pair OutputPadding, Pair Dilation, long Groups, bool Bias)
    : LayerSpec
{
    public override string Kind => "conv_transpose";
    public override ModuleRecipe Recipe(Shape input) => Torch("ConvTranspose2d",
        Positional(input.Channels), Positional(OutChannels), Named("kernel_size", Kernel), Named("stride", Stride),
        Named("padding", Padding), Named("output_padding", OutputPadding), Named("dilation", Dilation),
        Named("groups", Groups), Named("bias", Bias));

    // ptflops counts a transposed convolution over its output positions, plus one per output element for the bias.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters)
    {
        var perPosition = checked(Kernel.H * Kernel.W * input.Channels * (OutChannels / Groups));
        var ptflops = checked(output.Height * output.Width * perPosition + (Bias ? output.Elements : 0));
        return new(CostCategory.Conv, multiplyAdds, multiplyAdds, ptflops, checked(parameters * output.Height * output.Width));
    }

    public override GraphFamily Family => GraphFamily.Convolution;
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() =>
        $"{OutChannels}, {Kernel.H}x{Kernel.W}"
        + (Stride != Pair.Square(1) ? $", stride {Stride}" : "")
        + (Padding != Pair.Square(0) ? $", pad {Padding}" : "")
        + (OutputPadding != Pair.Square(0) ? $", output pad {OutputPadding}" : "")
        + (Groups != 1 ? $", groups {Groups}" : "");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        if (input.Channels % Groups != 0 || OutChannels % Groups != 0)
        {
            return LayerOutcome.Fail(DiagnosticCodes.GroupsDoNotDivide,
                $"conv_transpose with groups {Groups} needs input and output channels divisible by {Groups}, but has {input.Channels} in and {OutChannels} out",
                "choose groups that divide both channel counts");
        }

        if (OutputPadding.H >= System.Math.Max(Stride.H, Dilation.H) || OutputPadding.W >= System.Math.Max(Stride.W, Dilation.W))
        {
            return LayerOutcome.Fail(DiagnosticCodes.InvalidValue,
                $"conv_transpose output_pad {OutputPadding} must be smaller than its stride {Stride} or dilation {Dilation}",
                "PyTorch rejects a larger output padding");
        }

        if (!OutputPadding.IsSquare)
        {
            // TorchSharp 0.107's ConvTranspose2d module passes only output_padding[0] to libtorch,
            // which applies it to both sides (its functional form is right): the built model would
            // not have the analysed shape.
            return LayerOutcome.Fail(DiagnosticCodes.InvalidValue,
                $"conv_transpose output_pad {OutputPadding} differs between height and width, which TorchSharp's ConvTranspose2d cannot build (it applies the first to both)",
                "give one output_pad for both, or reach the size with pad or an extra layer");
        }

        var outH = checked((input.Height - 1) * Stride.H - 2 * Padding.H + Dilation.H * (Kernel.H - 1) + OutputPadding.H + 1);
        var outW = checked((input.Width - 1) * Stride.W - 2 * Padding.W + Dilation.W * (Kernel.W - 1) + OutputPadding.W + 1);
        if (outH < 1 || outW < 1)
        {
            return LayerOutcome.Fail(DiagnosticCodes.NonPositiveOutput,
                $"conv_transpose on a {input.Height}x{input.Width} input with padding {Padding} gives an output of {outH}x{outW}",
                "use less padding");
        }

        var output = Shape.Image(OutChannels, outH, outW);
        var perGroupOut = OutChannels / Groups;
        // Each input position scatters into kernel-size outputs: in_elements * (out/groups) * k * k.
        var macs = checked(input.Elements * perGroupOut * Kernel.H * Kernel.W);
        var weight = TensorSpec.Parameter("weight", input.Channels, perGroupOut, Kernel.H, Kernel.W);
        // An output position receives the inputs whose scattered kernel covers it: about
        // kernel / stride of them, spaced unevenly; the receptive field follows them exactly.
        var window = new TransposedWindow(Kernel, Stride, Padding, Dilation);
        return Bias
            ? LayerOutcome.Ok(output, window, macs, weight, TensorSpec.Parameter("bias", OutChannels))
            : LayerOutcome.Ok(output, window, macs, weight);
    }
}
