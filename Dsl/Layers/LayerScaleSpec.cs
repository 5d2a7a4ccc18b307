using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>A learnable per-channel scale, <c>C x 1 x 1</c>, starting at <see cref="Init"/>, that
/// multiplies a C x H x W input (ConvNeXt's <c>layer_scale</c>). Its parameter belongs to the
/// module around the layer, under the layer's name, as torchvision registers it on <c>CNBlock</c>:
/// the <c>state_dict</c> key is the layer's own path (<c>features.1.0.layer_scale</c>).</summary>
public sealed record LayerScaleSpec(double Init) : LayerSpec
{
    public override string Kind => "layer_scale";
    public override ModuleRecipe Recipe(Shape input) => ParentParameter("LayerScale", Positional(input.Channels), Positional(Init));

    // One multiplication per element; fvcore and ptflops see no module or operation of theirs, and
    // torchinfo counts only parameters named weight or bias.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        LayerCost.Own(CostCategory.Multiplication, output.Elements);

    public override GraphFamily Family => GraphFamily.Multiplication;

    // A product's backward reads its factors, not its output.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;
    public override string Describe() => "init " + Init.ToString("R", CultureInfo.InvariantCulture);

    public override LayerOutcome Infer(Shape input) => input.IsImage
        ? LayerOutcome.Ok(input, WindowEffect.Pointwise, 0, TensorSpec.Parameter("", input.Channels, 1, 1))
        : NeedsImage(Kind, input);
}
