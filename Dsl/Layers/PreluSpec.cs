using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>x for x &gt;= 0, a * x otherwise, with a learnable slope a: one for all channels, or
/// one per channel (PyTorch's <c>PReLU(num_parameters)</c>, parameter <c>weight</c>, every slope
/// starting at <see cref="Init"/>). Per channel, the channels must be dimension 1 of the tensor:
/// a C x H x W map or features, not a channels-last map.</summary>
public sealed record PreluSpec(bool PerChannel, double Init) : ElementwiseSpec
{
    public override string Kind => "prelu";
    public override ModuleRecipe Recipe(Shape input) => Torch("PReLU", Positional(PerChannel ? input.Channels : 1L), Named("init", Init));

    // ptflops' table has PReLU (one per element); torchinfo counts its weight once.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Activation, output.Elements, 0, output.Elements, parameters);

    // Its backward reads its input and weight, not its output.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;

    public override string Describe() =>
        (PerChannel ? "per channel" : "shared") + (Init == 0.25 ? "" : ", init " + Init.ToString("R", CultureInfo.InvariantCulture));

    public override LayerOutcome Infer(Shape input)
    {
        if (PerChannel && input.IsChannelsLast) return NeedsImage("prelu(per_channel: true)", input);
        return LayerOutcome.Ok(input, WindowEffect.Pointwise, 0, TensorSpec.Parameter("weight", PerChannel ? input.Channels : 1));
    }
}
