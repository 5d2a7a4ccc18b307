namespace CnnDsl.Dsl.Layers;

/// <summary>relu6(x + 3) / 6 (MobileNetV3's squeeze-and-excitation gate).</summary>
public sealed record HardsigmoidSpec : ElementwiseSpec
{
    public override string Kind => "hardsigmoid";
    public override ModuleRecipe Recipe(Shape input) => Torch("Hardsigmoid");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: false);

    // Its backward reads its input, not its output; no in-place form is used.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
}
