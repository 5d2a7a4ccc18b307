using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>torchvision's <c>StochasticDepth(p, mode)</c> (Huang et al., 2016): the identity in
/// eval mode; in training, each sample (<c>row</c>) or the whole batch (<c>batch</c>) is zeroed
/// with probability <see cref="Probability"/> and the rest scaled by 1 / (1 - p). Put at the end
/// of a residual body, it drops the body for the samples it zeroes.</summary>
public sealed record StochasticDepthSpec(double Probability, bool WholeBatch) : LayerSpec
{
    public override string Kind => "stochastic_depth";

    public override ModuleRecipe Recipe(Shape input) => Runtime("StochasticDepth", Positional(Probability),
        Named("mode", new EnumArgument("CnnDsl.Runtime.Layers.StochasticDepthMode", WholeBatch ? "Batch" : "Row")));

    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => LayerCost.None;
    public override GraphFamily Family => GraphFamily.Plain;

    // In eval mode its output is its input.
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() => "p " + Probability.ToString("R", CultureInfo.InvariantCulture) + (WholeBatch ? ", batch" : "");
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
