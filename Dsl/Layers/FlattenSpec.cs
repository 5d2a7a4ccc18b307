namespace CnnDsl.Dsl.Layers;

public sealed record FlattenSpec : LayerSpec
{
    public override string Kind => "flatten";
    public override ModuleRecipe Recipe(Shape input) => Torch("Flatten");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => LayerCost.None;
    public override GraphFamily Family => GraphFamily.Plain;
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => "";

    /// <summary>Each flattened feature still sees the region its map position saw.</summary>
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(Shape.Features(input.Elements), WindowEffect.Pointwise);
}
