using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

public sealed record LinearSpec(long OutFeatures, bool Bias) : LayerSpec
{
    public override string Kind => "linear";
    public override ModuleRecipe Recipe(Shape input) => Torch("Linear", Positional(input.Channels), Positional(OutFeatures), Named("hasBias", Bias));

    // ptflops' hook adds `out` for the bias once per call, not per position; torchinfo counts each
    // parameter once, at any number of positions.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Linear, multiplyAdds, multiplyAdds, checked(multiplyAdds + (Bias ? OutFeatures : 0)), parameters);

    public override GraphFamily Family => GraphFamily.Linear;
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
    public override string Describe() => $"{OutFeatures}" + (Bias ? "" : ", no bias");

    /// <summary>On features: <c>in * out</c> multiply-adds. On a channels-last map it applies at each
    /// position to the channels (ConvNeXt's blocks): <c>H * W * in * out</c>, as torchvision counts
    /// them, and the receptive field is unchanged.</summary>
    public override LayerOutcome Infer(Shape input)
    {
        if (input.IsChannelsLast) return PerPosition(input);
        if (input.Rank != 1)
        {
            return LayerOutcome.Fail(DiagnosticCodes.LinearNeedsFlatInput,
                $"linear({OutFeatures}) is fed a {input} tensor; it needs a flat vector of features",
                $"insert `flatten` before it (it would receive {input.Elements} features)");
        }

        var inFeatures = input.Channels;
        var macs = checked(inFeatures * OutFeatures);
        var weight = TensorSpec.Parameter("weight", OutFeatures, inFeatures);
        return Bias
            ? LayerOutcome.Ok(Shape.Features(OutFeatures), WindowEffect.Global, macs, weight, TensorSpec.Parameter("bias", OutFeatures))
            : LayerOutcome.Ok(Shape.Features(OutFeatures), WindowEffect.Global, macs, weight);
    }

    private LayerOutcome PerPosition(Shape input)
    {
        var output = Shape.ChannelsLast(input.Height, input.Width, OutFeatures);
        var macs = checked(input.Height * input.Width * input.Channels * OutFeatures);
        var weight = TensorSpec.Parameter("weight", OutFeatures, input.Channels);
        return Bias
            ? LayerOutcome.Ok(output, WindowEffect.Pointwise, macs, weight, TensorSpec.Parameter("bias", OutFeatures))
            : LayerOutcome.Ok(output, WindowEffect.Pointwise, macs, weight);
    }
}
