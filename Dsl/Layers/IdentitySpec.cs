namespace CnnDsl.Dsl.Layers;

/// <summary>Passes its input through: a placeholder branch, or an explicit identity shortcut.</summary>
public sealed record IdentitySpec : LayerSpec
{
    public override string Kind => "identity";
    public override ModuleRecipe Recipe(Shape input) => Torch("Identity");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => LayerCost.None;
    public override GraphFamily Family => GraphFamily.Plain;
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => "";
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
