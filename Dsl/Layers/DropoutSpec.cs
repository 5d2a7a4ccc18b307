using System.Globalization;

namespace CnnDsl.Dsl.Layers;

public sealed record DropoutSpec(double Probability) : LayerSpec
{
    public override string Kind => "dropout";
    public override ModuleRecipe Recipe(Shape input) => Torch("Dropout", Named("p", Probability));
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => LayerCost.None;
    public override GraphFamily Family => GraphFamily.Plain;
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => "p " + Probability.ToString("R", CultureInfo.InvariantCulture);
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
