using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>LeCun's squashing function, amplitude * tanh(slope * x) (1.7159 and 2/3 in LeNet-5).</summary>
public sealed record ScaledTanhSpec(double Amplitude, double Slope) : LayerSpec
{
    public override string Kind => "scaled_tanh";
    public override ModuleRecipe Recipe(Shape input) => Runtime("ScaledTanh", Positional(Amplitude), Positional(Slope));
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => LayerCost.Own(CostCategory.Activation, output.Elements);
    public override GraphFamily Family => GraphFamily.Activation;
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() =>
        string.Format(CultureInfo.InvariantCulture, "{0:R} tanh({1:R} x)", Amplitude, Slope);

    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
