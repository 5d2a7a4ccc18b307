using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>Zero channels added before and after the input's (C x H x W in,
/// (before + C + after) x H x W out): the parameter-free shortcut of the CIFAR ResNets ("option
/// A", He et al. 2015, section 4.2), PyTorch's <c>F.pad(x, (0, 0, 0, 0, before, after))</c>. A
/// runtime module, <c>CnnDsl.Runtime.Layers.ChannelPad</c>; no tensors; one write per output element.</summary>
public sealed record ChannelPadSpec(long Before, long After) : LayerSpec
{
    public override string Kind => "channel_pad";
    public override ModuleRecipe Recipe(Shape input) => Runtime("ChannelPad", Positional(Before), Positional(After));

    // Every output element is written once; none of the tools counts it.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        LayerCost.Own(CostCategory.Concatenation, output.Elements);

    public override GraphFamily Family => GraphFamily.Plain;

    // A fresh tensor whose backward needs neither its input nor its output.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;

    public override string Describe() =>
        string.Format(CultureInfo.InvariantCulture, "+{0} before, +{1} after", Before, After);

    public override LayerOutcome Infer(Shape input) =>
        input.IsImage
            ? LayerOutcome.Ok(Shape.Image(checked(input.Channels + Before + After), input.Height, input.Width), WindowEffect.Pointwise)
            : NeedsImage(Kind, input);
}
