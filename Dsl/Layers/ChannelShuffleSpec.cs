using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>ShuffleNet's channel shuffle (torch <c>nn.ChannelShuffle(groups)</c>): C x H x W in,
/// the same shape out, channel <c>g * (C / groups) + i</c> moved to <c>i * groups + g</c>, as
/// torchvision's <c>channel_shuffle</c> does with view(b, groups, C / groups, h, w),
/// transpose(1, 2) and a reshape. No tensors; one copy per element.</summary>
public sealed record ChannelShuffleSpec(long Groups) : LayerSpec
{
    public override string Kind => "channel_shuffle";
    public override ModuleRecipe Recipe(Shape input) => Torch("ChannelShuffle", Positional(Groups));

    // A copy of every element; none of the tools counts it.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        LayerCost.Own(CostCategory.Concatenation, output.Elements);

    public override GraphFamily Family => GraphFamily.Plain;

    // Its output may share memory with its input (one group leaves the order as it is), so
    // nothing after it overwrites that output.
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() => Groups.ToString(CultureInfo.InvariantCulture) + " groups";

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        if (input.Channels % Groups != 0)
        {
            return LayerOutcome.Fail(Diagnostics.DiagnosticCodes.GroupsDoNotDivide,
                $"channel_shuffle interleaves {Groups} groups of channels, but the input's {input.Channels} channels are not a multiple of {Groups}",
                "shuffle a number of groups that divides the channels");
        }

        return LayerOutcome.Ok(input, WindowEffect.Pointwise);
    }
}
