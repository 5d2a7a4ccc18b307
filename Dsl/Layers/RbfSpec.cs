using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>LeNet-5's output layer: per class, the squared Euclidean distance between the input
/// and a fixed code (stylised 7x12 bitmaps of the digits). The codes are a buffer, not trained.</summary>
public sealed record RbfSpec(long Classes) : LayerSpec
{
    public override string Kind => "rbf";
    public override ModuleRecipe Recipe(Shape input) => Runtime("RbfOutput", Positional(input.Channels), Positional(Classes));

    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Linear, multiplyAdds, multiplyAdds, multiplyAdds, parameters);

    public override GraphFamily Family => GraphFamily.Linear;
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => $"{Classes} classes";

    public override LayerOutcome Infer(Shape input)
    {
        if (input.Rank != 1)
        {
            return LayerOutcome.Fail(DiagnosticCodes.LinearNeedsFlatInput,
                $"rbf({Classes}) is fed a {input} tensor; it needs a flat vector of features",
                $"insert `flatten` before it (it would receive {input.Elements} features)");
        }

        return LayerOutcome.Ok(Shape.Features(Classes), WindowEffect.Global, checked(input.Channels * Classes),
            TensorSpec.Buffer("codes", Classes, input.Channels));
    }
}
