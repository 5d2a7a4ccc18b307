using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>x for x &gt; 0, alpha * (exp(x) - 1) otherwise (Clevert et al., 2015).</summary>
public sealed record EluSpec(double Alpha) : ElementwiseSpec
{
    public override string Kind => "elu";
    public override ModuleRecipe Recipe(Shape input) => Torch("ELU", Named("alpha", Alpha));
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: true);

    // Out of place its backward reads its input, not its output.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
    public override string Describe() => "alpha " + Alpha.ToString("R", CultureInfo.InvariantCulture);
}
