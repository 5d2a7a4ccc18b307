namespace CnnDsl.Dsl.Layers;

/// <summary>x * sigmoid(x), also called swish (EfficientNet).</summary>
public sealed record SiluSpec : ElementwiseSpec
{
    public override string Kind => "silu";
    public override ModuleRecipe Recipe(Shape input) => Torch("SiLU");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: false);

    // Its backward reads its input, not its output; no in-place form is used.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
}
