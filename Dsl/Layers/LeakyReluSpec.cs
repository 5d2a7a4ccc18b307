using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>x for x &gt;= 0, slope * x otherwise.</summary>
public sealed record LeakyReluSpec(double Slope) : ElementwiseSpec
{
    public override string Kind => "leaky_relu";
    public override ModuleRecipe Recipe(Shape input) => Torch("LeakyReLU", Named("negative_slope", Slope));
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: true);

    // Out of place its backward reads its input, not its output.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
    public override string Describe() => "slope " + Slope.ToString("R", CultureInfo.InvariantCulture);
}
