using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>Layer normalisation over the channels, with a learnable scale and shift per channel
/// (<c>weight</c>, <c>bias</c>, C each). On a C x H x W map it normalises the C values at each
/// position (torchvision's <c>LayerNorm2d</c>, ConvNeXt's stem, downsampling and head); on a
/// channels-last map or on features it normalises the last dimension (<c>nn.LayerNorm(C)</c>,
/// inside ConvNeXt's blocks).</summary>
public sealed record LayerNormSpec(double Epsilon) : LayerSpec
{
    public override string Kind => "layernorm";

    public override ModuleRecipe Recipe(Shape input) => input.IsImage
        ? Runtime("LayerNorm2d", Positional(input.Channels), Named("eps", Epsilon))
        : Torch("LayerNorm", Positional(input.Channels), Named("eps", Epsilon));

    // ptflops' table has nn.LayerNorm, counted once per input element (it doubles only for
    // modules with an `affine` attribute, which LayerNorm lacks); torchvision's LayerNorm2d is a
    // subclass, and ptflops matches exact types, so it counts nothing for it.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Normalization, NormCost.PerElement(input, true), NormCost.PerElement(input, true),
            input.IsImage ? 0 : input.Elements, parameters);

    public override GraphFamily Family => GraphFamily.Normalization;

    // On a C x H x W map the module's output is a permuted view of layer_norm's result: kept as it is.
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() => Epsilon == 1e-5 ? "" : "eps " + Epsilon.ToString("R", CultureInfo.InvariantCulture);

    public override LayerOutcome Infer(Shape input) =>
        LayerOutcome.Ok(input, WindowEffect.Pointwise, 0,
            TensorSpec.Parameter("weight", input.Channels),
            TensorSpec.Parameter("bias", input.Channels));
}
