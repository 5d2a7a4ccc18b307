using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>A 2-D convolution. With <see cref="Connections"/> (LeNet-5's C3 table), output map j
/// sees only the input maps listed in Connections[j], and owns weights for those alone.</summary>
public sealed record Conv2dSpec(
    long OutChannels, Pair Kernel, Pair Stride, Pair Padding, Pair Dilation, long Groups, bool Bias,
    IReadOnlyList<IReadOnlyList<int>>? Connections = null) : LayerSpec
{
    public override string Kind => "conv";
    public override ModuleRecipe Recipe(Shape input) => Connections is { } table
        ? Runtime("PartialConv2d",
            Positional(input.Channels), Positional(OutChannels), Named("kernel", Kernel), Named("stride", Stride),
            Named("padding", Padding), Named("connections", table.Select(row => row.ToArray()).ToArray()), Named("bias", Bias))
        : Torch("Conv2d",
            Positional(input.Channels), Positional(OutChannels), Named("kernel_size", Kernel), Named("stride", Stride),
            Named("padding", Padding), Named("dilation", Dilation), Named("groups", Groups), Named("bias", Bias));

    // ptflops adds one per output element for the bias; torchinfo counts every parameter once per output position.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Conv, multiplyAdds, multiplyAdds, checked(multiplyAdds + (Bias ? output.Elements : 0)),
            checked(parameters * output.Height * output.Width));

    public override GraphFamily Family => GraphFamily.Convolution;

    // A connection table's module computes its output from a masked weight; nothing is promised about its backward.
    public override InPlaceRule InPlace => Connections is null ? InPlaceRule.OutputFree : InPlaceRule.Never;

    /// <summary>Input-output map pairs that have weights: all of them, or the table's entries.</summary>
    public long ConnectionCount(long inChannels) =>
        Connections?.Sum(c => (long)c.Count) ?? checked(OutChannels * (inChannels / Groups));

    public override string Describe() =>
        $"{OutChannels}, {Kernel.H}x{Kernel.W}"
        + (Stride != Pair.Square(1) ? $", stride {Stride}" : "")
        + (Padding != Pair.Square(0) ? $", pad {Padding}" : "")
        + (Dilation != Pair.Square(1) ? $", dilation {Dilation}" : "")
        + (Groups != 1 ? $", groups {Groups}" : "")
        + (Connections is null ? "" : $", {Connections.Sum(c => c.Count)} connections")
        + (Bias ? "" : ", no bias");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage("conv", input);
        var inChannels = input.Channels;
        var outOfRange = Connections?.SelectMany(c => c).Where(i => i >= inChannels).ToList();
        if (outOfRange is { Count: > 0 })
        {
            return LayerOutcome.Fail(DiagnosticCodes.InvalidValue,
                $"conv's connection table names input map {outOfRange.Max()}, but its input has {inChannels} maps (0 to {inChannels - 1})",
                "list only input maps that exist");
        }

        if (inChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            return LayerOutcome.Fail(DiagnosticCodes.GroupsDoNotDivide,
                $"conv with groups {Groups} needs input and output channels divisible by {Groups}, but has {inChannels} in and {OutChannels} out",
                "choose groups that divide both channel counts");
        }

        var kh = SpatialArithmetic.EffectiveKernel(Kernel.H, Dilation.H);
        var kw = SpatialArithmetic.EffectiveKernel(Kernel.W, Dilation.W);
        var paddedH = input.Height + 2 * Padding.H;
        var paddedW = input.Width + 2 * Padding.W;
        if (kh > paddedH || kw > paddedW)
        {
            return LayerOutcome.Fail(DiagnosticCodes.KernelLargerThanInput,
                $"conv kernel {kh}x{kw} is larger than its padded input {paddedH}x{paddedW} (input {input})",
                "use a smaller kernel, more padding, or a larger input");
        }

        var outH = SpatialArithmetic.OutputSize(input.Height, Kernel.H, Stride.H, Padding.H, Dilation.H, false);
        var outW = SpatialArithmetic.OutputSize(input.Width, Kernel.W, Stride.W, Padding.W, Dilation.W, false);
        var output = Shape.Image(OutChannels, outH, outW);
        var perGroupIn = inChannels / Groups;
        var connections = ConnectionCount(inChannels);
        var macs = checked(outH * outW * connections * Kernel.H * Kernel.W);
        var window = new SlidingWindow(Kernel, Stride, Padding, Dilation);
        var weight = Connections is null
            ? TensorSpec.Parameter("weight", OutChannels, perGroupIn, Kernel.H, Kernel.W)
            : TensorSpec.Parameter("weight", connections, Kernel.H, Kernel.W);
        return Bias
            ? LayerOutcome.Ok(output, window, macs, weight, TensorSpec.Parameter("bias", OutChannels))
            : LayerOutcome.Ok(output, window, macs, weight);
    }
}
