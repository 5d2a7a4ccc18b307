using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

public sealed record LinearSpec(long OutFeatures, bool Bias) : LayerSpec
{
    public override string Kind => "linear";
    public override ModuleRecipe Recipe(Shape input) => Torch("Linear", Positional(input.Channels), Positional(OutFeatures), Named("hasBias", Bias));

    // ptflops adds one per output element for the bias; torchinfo counts each parameter once.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Linear, multiplyAdds, multiplyAdds, checked(multiplyAdds + (Bias ? output.Elements : 0)), parameters);

    public override GraphFamily Family => GraphFamily.Linear;
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
    public override string Describe() => $"{OutFeatures}" + (Bias ? "" : ", no bias");

    public override LayerOutcome Infer(Shape input)
    {
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
}
