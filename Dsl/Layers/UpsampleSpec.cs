using System.Globalization;

namespace CnnDsl.Dsl.Layers;

public enum UpsampleMode
{
    Nearest,
    Bilinear,
}

/// <summary>Upsampling by an integer factor: nearest neighbour or bilinear interpolation.</summary>
public sealed record UpsampleSpec(Pair Scale, UpsampleMode Mode, bool AlignCorners) : LayerSpec
{
    public override string Kind => "upsample";
    public override ModuleRecipe Recipe(Shape input) => Mode == UpsampleMode.Bilinear
        ? Torch("Upsample", Named("scale_factor", new[] { (double)Scale.H, Scale.W }),
            Named("mode", new EnumArgument("TorchSharp.torch.UpsampleMode", "Bilinear")), Named("align_corners", AlignCorners))
        : Torch("Upsample", Named("scale_factor", new[] { (double)Scale.H, Scale.W }),
            Named("mode", new EnumArgument("TorchSharp.torch.UpsampleMode", "Nearest")));

    // Bilinear interpolation reads four inputs per output element; nearest one. ptflops counts one.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters)
    {
        var operations = Mode == UpsampleMode.Bilinear ? checked(4 * output.Elements) : output.Elements;
        return new(CostCategory.Upsample, operations, operations, output.Elements, 0);
    }

    public override GraphFamily Family => GraphFamily.Resampling;
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() =>
        $"x{Scale}, {Mode.ToString().ToLowerInvariant()}" + (AlignCorners ? ", align corners" : "");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var output = Shape.Image(input.Channels, checked(input.Height * Scale.H), checked(input.Width * Scale.W));
        return LayerOutcome.Ok(output, WindowEffect.Pointwise);
    }

    public string ModeName => Mode.ToString().ToLower(CultureInfo.InvariantCulture);
}
