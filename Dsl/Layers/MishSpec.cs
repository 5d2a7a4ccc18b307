namespace CnnDsl.Dsl.Layers;

/// <summary>x * tanh(softplus(x)) (Misra, 2019).</summary>
public sealed record MishSpec : ElementwiseSpec
{
    public override string Kind => "mish";
    public override ModuleRecipe Recipe(Shape input) => Torch("Mish");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: false);

    // Its backward reads its input, not its output; no in-place form is used.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
}
