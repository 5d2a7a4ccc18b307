namespace CnnDsl.Dsl.Layers;

/// <summary>x * Phi(x), Phi the standard normal distribution function (ConvNeXt); with
/// <see cref="TanhApproximation"/>, PyTorch's <c>approximate='tanh'</c>:
/// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</summary>
public sealed record GeluSpec(bool TanhApproximation) : ElementwiseSpec
{
    public override string Kind => "gelu";

    public override ModuleRecipe Recipe(Shape input) => TanhApproximation
        ? Torch("GELU", Named("approximate", new EnumArgument("TorchSharp.Modules.GELU.Approximate", "tanh")))
        : Torch("GELU");

    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: true);

    // Its backward reads its input, not its output; no in-place form is used.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
    public override string Describe() => TanhApproximation ? "tanh approximation" : "";
}
