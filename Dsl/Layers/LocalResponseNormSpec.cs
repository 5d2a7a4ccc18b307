using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>AlexNet's local response normalisation across <see cref="Size"/> neighbouring channels.</summary>
public sealed record LocalResponseNormSpec(long Size, double Alpha, double Beta, double K) : LayerSpec
{
    public override string Kind => "lrn";
    public override ModuleRecipe Recipe(Shape input) => Torch("LocalResponseNorm",
        Positional(Size), Named("alpha", Alpha), Named("beta", Beta), Named("k", K));

    // One multiply-add per output element and window position; the tools ignore it.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        LayerCost.Own(CostCategory.Lrn, checked(output.Elements * Size));

    public override GraphFamily Family => GraphFamily.Normalization;
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() =>
        string.Format(CultureInfo.InvariantCulture, "size {0}, alpha {1:R}, beta {2:R}, k {3:R}", Size, Alpha, Beta, K);

    public override LayerOutcome Infer(Shape input) =>
        input.IsImage ? LayerOutcome.Ok(input, WindowEffect.Pointwise) : NeedsImage(Kind, input);
}
