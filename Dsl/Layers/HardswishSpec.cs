namespace CnnDsl.Dsl.Layers;

/// <summary>x * relu6(x + 3) / 6 (MobileNetV3).</summary>
public sealed record HardswishSpec : ElementwiseSpec
{
    public override string Kind => "hardswish";
    public override ModuleRecipe Recipe(Shape input) => Torch("Hardswish");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: false);

    // Its backward reads its input, not its output; no in-place form is used.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
}
